using System.Text.Json;
using Migration.IntegrationTests.Stack;
using Migration.Migrations;
using Migration.TestKit;

namespace Migration.IntegrationTests.Health;

/// <summary><c>/health/live</c> and <c>/health/ready</c> against a real PostgreSQL that is stopped and started.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_DatabaseStopped_UnhealthyThenHealthyWhenBack()
    {
        await using var postgres = await TestDatabase.StartDedicatedServerAsync();
        var connectionString = await postgres.CreateDatabaseAsync("ready");
        await MigrationDatabase.MigrateAsync(connectionString);
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { ConnectionString = connectionString, Settings = HealthStack.FastSettings() });
        await HealthStack.WaitForBothHealthyAsync(stack);

        var (status, body) = await GetAsync(stack, "/health/ready");
        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(["database", "providers"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order().ToArray());

        await postgres.StopServerAsync();
        (status, body) = await GetAsync(stack, "/health/ready");
        Assert.Equal(503, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var database = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.DoesNotContain("Password", body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        // No exception text: neither the server's address nor the user name reaches a (often public) probe.
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        Assert.DoesNotContain(builder.Host!, body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetRawText(), StringComparison.Ordinal);
        // Only the kind of failure (the user name "postgres" would also match the type name PostgresException).
        Assert.Matches(@"^database unreachable \(\w+(, SQLSTATE \w+)?\); details in the server log$", database.GetProperty("description").GetString());

        // Liveness is about the process only.
        (status, body) = await GetAsync(stack, "/health/live");
        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());

        await postgres.StartServerAsync();
        await Eventually.UntilAsync("ready again", async () => (await GetAsync(stack, "/health/ready")).Status == 200);
    }

    [Fact]
    public async Task Ready_OneProviderDown_DegradedBothDown_Unhealthy()
    {
        await using var stack = await MigrationStack.StartAsync(new MigrationStackOptions { Settings = HealthStack.FastSettings() });
        await HealthStack.WaitForBothHealthyAsync(stack);

        stack.Candidate!.Faults = new Simulator.FaultSettings { Outage = true };
        await Eventually.UntilAsync("degraded", async () => (await GetAsync(stack, "/health/ready")).Body.GetProperty("status").GetString() == "Degraded");
        Assert.Equal(200, (await GetAsync(stack, "/health/ready")).Status);

        stack.Primary.Faults = new Simulator.FaultSettings { Outage = true };
        await Eventually.UntilAsync("unhealthy", async () => (await GetAsync(stack, "/health/ready")).Status == 503);
        var providers = (await GetAsync(stack, "/health/ready")).Body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "providers");
        Assert.Equal("Unhealthy", providers.GetProperty("status").GetString());
        Assert.Equal("openai: unhealthy", providers.GetProperty("data").GetProperty("primary").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> GetAsync(MigrationStack stack, string path)
    {
        using var response = await stack.Http.GetAsync(path);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return ((int)response.StatusCode, document.RootElement.Clone());
    }
}
