using Migration.TestKit;

namespace Migration.Cli.Tests;

/// <summary>Runs <c>migrationctl</c> in-process with a fake clock, no environment and user "tester".</summary>
internal sealed class CliRun
{
    public static readonly DateTimeOffset T0 = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    public CliRun(string? connectionString = null, FakeClock? time = null)
    {
        ConnectionString = connectionString;
        Time = time ?? new FakeClock(T0);
        Host = new CliHost { Time = Time, GetEnvironmentVariable = _ => null, UserName = "tester" };
    }

    public string? ConnectionString { get; }

    public FakeClock Time { get; }

    public CliHost Host { get; }

    /// <summary>Runs with <c>--db</c> appended when a connection string was given.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        var all = ConnectionString is null ? args : [.. args, "--db", ConnectionString];
        return await RunRawAsync(Host, all);
    }

    public static async Task<CliResult> RunRawAsync(CliHost host, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MigrationCtl.RunAsync(args, stdout, stderr, host);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
