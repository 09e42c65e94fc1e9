using System.Text.Json;
using Migration.Simulator.Hosting;

namespace Migration.Simulator.Tests;

public class FaultSettingsTests
{
    [Fact]
    public void Validate_None_NoProblems()
    {
        Assert.Empty(FaultSettings.None.Validate());
        Assert.Equal(0, FaultSettings.None.TotalRate);
    }

    [Fact]
    public void Validate_RatesAddingToExactlyOne_IsValid()
    {
        var faults = new FaultSettings { Error500Rate = 0.1, Error502Rate = 0.1, Error503Rate = 0.1, Error429Rate = 0.1, HangRate = 0.1, ResetRate = 0.1, TruncateRate = 0.2, MalformedRate = 0.2 };

        Assert.Empty(faults.Validate());
    }

    [Fact]
    public void Validate_NaNRate_IsRejected()
    {
        Assert.Contains(new FaultSettings { ResetRate = double.NaN }.Validate(), e => e.StartsWith("resetRate", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_RoundTrip_IsCamelCaseAndLossless()
    {
        var faults = new FaultSettings { Error503Rate = 0.25, RetryAfterSeconds = 9, HangMs = 1234, Outage = true, ExtraLatencyMs = 15 };

        var json = JsonSerializer.Serialize(faults, SimulatorJsonContext.Default.FaultSettings);
        var parsed = ControlEndpoints.ParseFaults(json, out var errors);

        Assert.Contains("\"error503Rate\":0.25", json, StringComparison.Ordinal);
        Assert.Contains("\"extraLatencyMs\":15", json, StringComparison.Ordinal);
        Assert.Empty(errors);
        Assert.Equal(faults, parsed);
    }
}
