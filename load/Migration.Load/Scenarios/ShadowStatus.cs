using System.Text.Json;
using Migration.Load.Hosting;
using Migration.Load.Reports;

namespace Migration.Load.Scenarios;

/// <summary>Reads the harness's shadow counters (GET /migration/status) into an arm's extras.</summary>
internal static class ShadowStatus
{
    public static async Task<(double Enqueued, double Compared, double Dropped)?> ReadAsync(SampleApiProcess sut, CancellationToken cancellationToken)
    {
        if (await sut.StatusAsync(cancellationToken).ConfigureAwait(false) is not { } json
            || !json.TryGetProperty("shadow", out var shadow))
        {
            return null;
        }

        return (Number(shadow, "enqueued"), Number(shadow, "compared"), Number(shadow.GetProperty("dropped"), "queueFull"));
    }

    public static async Task AddToAsync(ArmReport arm, SampleApiProcess sut, CancellationToken cancellationToken)
    {
        if (await ReadAsync(sut, cancellationToken).ConfigureAwait(false) is { } s)
        {
            arm.SetExtra("shadowEnqueued", s.Enqueued);
            arm.SetExtra("shadowCompared", s.Compared);
            arm.SetExtra("shadowDroppedQueueFull", s.Dropped);
        }
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;
}
