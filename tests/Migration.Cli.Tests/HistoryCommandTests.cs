using System.Text.Json;
using Migration.TestKit;

namespace Migration.Cli.Tests;

public sealed class HistoryCommandTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private CliRun _cli = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("cli_history");
        _cli = new CliRun(_db.ConnectionString);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task RunAsync_Empty_SaysSo()
    {
        var result = await _cli.RunAsync("history");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("no events yet", result.Out.Trim());
    }

    [Fact]
    public async Task RunAsync_Events_AlignedTableNewestFirstWithCliActor()
    {
        await _cli.RunAsync("canary", "start");
        _cli.Time.Advance(TimeSpan.FromMinutes(1));
        await _cli.RunAsync("canary", "rollback", "--reason", "p99 too high");

        var result = await _cli.RunAsync("history");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("time", lines[0], StringComparison.Ordinal);
        Assert.Contains("2025-06-02 09:01:00Z  cli:tester  ramping 5 %", lines[1], StringComparison.Ordinal);
        Assert.Contains("rolled_back 0 %", lines[1], StringComparison.Ordinal);
        Assert.Contains("p99 too high", lines[1], StringComparison.Ordinal);
        Assert.Contains("idle 0 %", lines[2], StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("actor", StringComparison.Ordinal), lines[1].IndexOf("cli:tester", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_JsonWithLimit_CamelCaseArray()
    {
        await _cli.RunAsync("canary", "start");
        await _cli.RunAsync("canary", "promote");
        await _cli.RunAsync("canary", "promote");

        var result = await _cli.RunAsync("history", "--limit", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(25, items[0].GetProperty("toWeight").GetDouble());
        Assert.Equal("cli:tester", items[0].GetProperty("actor").GetString());
        Assert.Equal(10, items[1].GetProperty("toWeight").GetDouble());
    }
}
