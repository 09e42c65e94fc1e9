using Microsoft.Extensions.DependencyInjection;
using Migration.AspNetCore.Configuration;
using Migration.Core.Reporting;
using Migration.Core.Storage;
using Migration.TestKit;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>A service provider wired exactly as a host's (AddMigrationHarness) with a fake clock and a recording sink.</summary>
internal sealed class HarnessServices : IDisposable
{
    public HarnessServices(Action<MigrationHarnessOptions>? configure = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? Time);
        services.AddSingleton<IRecordSink>(Sink);
        services.AddSingleton<IReportQueries>(Queries);
        services.AddMigrationHarness(TestOptions.Valid(more: configure));
        Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeClock Time { get; } = new();

    public RecordingSink Sink { get; } = new();

    public FakeReportQueries Queries { get; } = new();

    public ServiceProvider Provider { get; }

    public T Get<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    public void Dispose() => Provider.Dispose();
}
