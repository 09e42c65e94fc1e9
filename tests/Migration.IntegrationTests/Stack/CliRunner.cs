using System.Text;
using Migration.Cli;

namespace Migration.IntegrationTests.Stack;

/// <summary>Runs <c>migrationctl</c> in process and captures what it prints.</summary>
internal static class CliRunner
{
    /// <summary>A host whose <c>MIGRATION_DB</c> is the stack's database.</summary>
    public static CliHost For(MigrationStack stack, string userName = "itest") => new()
    {
        UserName = userName,
        GetEnvironmentVariable = name => name == "MIGRATION_DB" ? stack.ConnectionString : Environment.GetEnvironmentVariable(name),
    };

    /// <summary>Runs <c>migrationctl <paramref name="args"/></c> with <paramref name="host"/>.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(CliHost host, params string[] args)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        await using var outWriter = new StringWriter(stdout);
        await using var errWriter = new StringWriter(stderr);
        var exit = await MigrationCtl.RunAsync(args, outWriter, errWriter, host);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
