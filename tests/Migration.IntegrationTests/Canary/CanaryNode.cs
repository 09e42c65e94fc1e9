using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Migration.AspNetCore.Canary;
using Migration.IntegrationTests.Stack;
using Migration.SampleApi;

namespace Migration.IntegrationTests.Canary;

/// <summary>
/// One more instance of the sample API with the harness, on the stack's database and simulators: what a second
/// (third...) pod of the same service is. Stop it with <see cref="DisposeAsync"/> (a graceful shutdown).
/// </summary>
internal sealed class CanaryNode : IAsyncDisposable
{
    private WebApplication? _app;

    private CanaryNode(string name) => Name = name;

    public string Name { get; }

    public string Url { get; private set; } = "";

    public IServiceProvider Services => _app!.Services;

    public HttpClient Admin { get; private set; } = null!;

    public CanaryController Controller => Services.GetRequiredService<CanaryController>();

    public CanaryStateCache Cache => Services.GetRequiredService<CanaryStateCache>();

    /// <summary>The canary settings the tests share: fast controller, short windows.</summary>
    public static Dictionary<string, string?> Settings(TimeSpan interval, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Migration:Canary:Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
            ["Migration:Canary:PollInterval"] = "00:00:05",
            ["Migration:Canary:StepHold"] = "00:10:00",
            ["Migration:Canary:Window"] = "00:00:10",
            ["Migration:Canary:MinRequests"] = "20",
            ["Migration:Canary:MinPrimaryRequestsForComparison"] = "100000",
            ["Migration:Shadow:Enabled"] = "false",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<CanaryNode> StartAsync(MigrationStack stack, string name, IDictionary<string, string?> settings)
    {
        var node = new CanaryNode(name);
        var all = new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = stack.Primary.Url + "/v1",
            ["Upstream:ApiKey"] = StackKeys.Primary,
            ["ConnectionStrings:Migration"] = stack.ConnectionString,
            ["Migration:InstanceName"] = name,
            ["Migration:Primary:Name"] = stack.Primary.Name,
            ["Migration:Primary:ApiKey"] = StackKeys.Primary,
            ["Migration:Primary:BaseUrl"] = stack.Primary.Url + "/v1",
            ["Migration:Candidate:Name"] = stack.Candidate!.Name,
            ["Migration:Candidate:BaseUrl"] = stack.CandidateBaseUrl,
            ["Migration:Candidate:ApiKey"] = StackKeys.Candidate,
            ["Migration:Candidate:ConnectTimeout"] = "00:00:02",
            ["Migration:Admin:ApiKey"] = StackKeys.Admin,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = SampleApps.Build(stack.Options.Mode, [], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(all);
        });
        node._app = app;
        await app.StartAsync();
        node.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        node.Admin = new HttpClient { BaseAddress = new Uri(node.Url), Timeout = TimeSpan.FromSeconds(30) };
        node.Admin.DefaultRequestHeaders.Add("X-Migration-Key", StackKeys.Admin);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await app.StopAsync(stop.Token);
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
    }
}
