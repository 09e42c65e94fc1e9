using System.Globalization;

namespace Migration.Simulator;

/// <summary>
/// Faults the simulator injects into <c>/v1</c> requests, swapped atomically at run time
/// (<see cref="SimulatorHost.Faults"/> or <c>PUT /_sim/faults</c>). Rates are per-request probabilities; one draw
/// per request picks at most one fault, so the rates must add up to at most 1. JSON: camelCase property names,
/// unknown properties rejected, missing ones = 0 / off.
/// </summary>
/// <remarks>
/// Fault semantics, as a client sees them:
/// <list type="bullet">
/// <item><c>error500Rate</c>, <c>error502Rate</c>, <c>error503Rate</c>: that status with an OpenAI error body.</item>
/// <item><c>error429Rate</c>: 429 <c>rate_limit_exceeded</c> with a <c>Retry-After: retryAfterSeconds</c> header.</item>
/// <item><c>hangRate</c>: no answer at all until the client gives up, or <c>hangMs</c> passes (then the connection is
/// aborted), or the simulator stops.</item>
/// <item><c>resetRate</c>: the connection is aborted before any response byte (the client sees a reset / EOF).</item>
/// <item><c>truncateRate</c>: a stream ends after about half of its content chunks with no finish chunk, no usage and no
/// <c>[DONE]</c>, as a clean end of the response; a JSON answer announces its full Content-Length, sends half the body
/// and aborts the connection.</item>
/// <item><c>malformedRate</c>: 200 with a broken JSON body (a stream: a broken <c>data:</c> line after the role chunk).</item>
/// <item><c>outage</c>: every <c>/v1</c> request, <c>/v1/models</c> included, gets 503 <c>service_unavailable</c>;
/// the control endpoints (<c>/_sim/*</c>) keep working so the outage can be ended.</item>
/// <item><c>rateLimitedKey</c>: every <c>/v1</c> request carrying this Bearer key gets 429 <c>rate_limit_exceeded</c>
/// with <c>Retry-After: retryAfterSeconds</c> (a provider's per-key rate limit); other keys are served as usual.</item>
/// <item><c>extraLatencyMs</c>: added to every <c>/v1</c> answer before its first byte (errors included).</item>
/// </list>
/// </remarks>
public sealed record FaultSettings
{
    /// <summary>No faults.</summary>
    public static FaultSettings None { get; } = new();

    /// <summary>Probability of a 500.</summary>
    public double Error500Rate { get; init; }

    /// <summary>Probability of a 502.</summary>
    public double Error502Rate { get; init; }

    /// <summary>Probability of a 503.</summary>
    public double Error503Rate { get; init; }

    /// <summary>Probability of a 429 with Retry-After.</summary>
    public double Error429Rate { get; init; }

    /// <summary>The Retry-After value (seconds) sent with a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>A Bearer key whose every request is rate-limited (429 with Retry-After); null = none.</summary>
    public string? RateLimitedKey { get; init; }

    /// <summary>Probability of a hang.</summary>
    public double HangRate { get; init; }

    /// <summary>Longest hang (ms) before the simulator aborts the connection itself.</summary>
    public int HangMs { get; init; } = 60_000;

    /// <summary>Probability of a connection reset before any byte.</summary>
    public double ResetRate { get; init; }

    /// <summary>Probability of a truncated answer.</summary>
    public double TruncateRate { get; init; }

    /// <summary>Probability of a 200 with a malformed JSON body.</summary>
    public double MalformedRate { get; init; }

    /// <summary>Full outage: every <c>/v1</c> request gets 503.</summary>
    public bool Outage { get; init; }

    /// <summary>Fixed latency (ms) added before every <c>/v1</c> answer.</summary>
    public int ExtraLatencyMs { get; init; }

    /// <summary>Every problem with these settings, each naming its JSON property; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        CheckRate(errors, "error500Rate", Error500Rate);
        CheckRate(errors, "error502Rate", Error502Rate);
        CheckRate(errors, "error503Rate", Error503Rate);
        CheckRate(errors, "error429Rate", Error429Rate);
        CheckRate(errors, "hangRate", HangRate);
        CheckRate(errors, "resetRate", ResetRate);
        CheckRate(errors, "truncateRate", TruncateRate);
        CheckRate(errors, "malformedRate", MalformedRate);
        var sum = TotalRate;
        if (double.IsFinite(sum) && sum > 1.0 + 1e-9)
        {
            errors.Add(Invariant($"the rates add up to {sum}, more than 1."));
        }

        if (RetryAfterSeconds is < 0 or > 86_400)
        {
            errors.Add(Invariant($"retryAfterSeconds must be between 0 and 86400 (was {RetryAfterSeconds})."));
        }

        if (HangMs is < 1 or > 3_600_000)
        {
            errors.Add(Invariant($"hangMs must be between 1 and 3600000 (was {HangMs})."));
        }

        if (ExtraLatencyMs is < 0 or > 600_000)
        {
            errors.Add(Invariant($"extraLatencyMs must be between 0 and 600000 (was {ExtraLatencyMs})."));
        }

        return errors;
    }

    internal double TotalRate =>
        Error500Rate + Error502Rate + Error503Rate + Error429Rate + HangRate + ResetRate + TruncateRate + MalformedRate;

    private static void CheckRate(List<string> errors, string name, double value)
    {
        if (!(value is >= 0 and <= 1))
        {
            errors.Add(Invariant($"{name} must be between 0 and 1 (was {value})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
