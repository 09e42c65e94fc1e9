using Migration.AspNetCore.Capture;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// One provider request as <see cref="ExchangePipeline"/> sees it, whichever adapter supplied it: the route, the
/// captured body, its parsed form, an id and the sticky keys. The pipeline fills in its decisions (arm, shadow
/// sampling) the first time it runs the request and keeps them when the same request runs again (an app's retry of
/// the same <see cref="HttpRequestMessage"/>), so one logical request has one arm and at most one shadow.
/// </summary>
internal sealed class ExchangeRequest : IDisposable
{
    /// <summary>The configured route (e.g. <c>/v1/chat/completions</c>): names the candidate URL and the stored rows.</summary>
    public required string Route { get; init; }

    /// <summary>The id stored with shadow rows and candidate attempts.</summary>
    public required string RequestId { get; init; }

    /// <summary>Sticky key for the canary assignment (<c>Canary:StickyKey</c> or the app's explicit key); null: drawn per request.</summary>
    public string? CanaryKey { get; init; }

    /// <summary>Sticky key for shadow sampling (<c>Shadow:StickyKey</c> or the app's explicit key); null: drawn per request.</summary>
    public string? ShadowKey { get; init; }

    /// <summary>
    /// Whether the candidate may serve this request at all (canary or failover); false keeps it on the primary, e.g.
    /// when the endpoint's authorization has not run (middleware placed before <c>UseAuthorization()</c>).
    /// </summary>
    public bool CandidateAllowed { get; init; } = true;

    /// <summary>
    /// Whether the shadow may take <see cref="Body"/> itself rather than a copy: true when nothing reads the buffer
    /// after the exchange (the middleware's request is over); false when the request may still be sent again.
    /// </summary>
    public bool BodyTransferable { get; init; }

    /// <summary>The captured body (bounded by <c>Shadow:MaxBodyBytes</c>); null when it was not captured. Owned here.</summary>
    public CaptureBuffer? Body { get; internal set; }

    /// <summary>The body parsed as an OpenAI request; null when it is incomplete or not one (then the primary serves, unshadowed).</summary>
    public OpenAIRequestInfo? Info { get; internal set; }

    /// <summary>The whole body, when it was captured complete.</summary>
    public ReadOnlyMemory<byte>? CompleteBody => Body is { Overflowed: false } body ? body.Memory : null;

    /// <summary>The model the caller asked for, or the traffic label for an unknown one.</summary>
    public string Model => Info?.Model ?? Traffic.TrafficAggregator.UnknownModel;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived (the primary's latency counts from here).</summary>
    internal long Started { get; set; }

    /// <summary>Wall time when the request arrived.</summary>
    internal DateTimeOffset StartedAt { get; set; }

    /// <summary>Set once the pipeline captured, parsed and routed the request; later runs reuse what it decided.</summary>
    internal bool Prepared { get; set; }

    /// <summary>The arm decided for this request.</summary>
    internal ExchangeArm Arm { get; set; }

    /// <summary>Whether this request is mirrored (decided on its first primary-served attempt).</summary>
    internal bool? Sampled { get; set; }

    /// <summary>The caller's cancellation of the current attempt (a provider call cancelled by it is not a provider failure).</summary>
    internal CancellationToken Aborted { get; set; }

    /// <summary>Whether the primary-served answer is the provider's own (see <see cref="IExchangeAdapter{TResult}.PrimaryIsProviderCall"/>).</summary>
    internal bool PrimaryIsProviderCall { get; set; }

    /// <summary>The last call to the primary provider observed during this request (middleware mode); null when none.</summary>
    internal ProviderCall? PrimaryCall { get; set; }

    /// <summary>
    /// Set once a failed primary call of this request was handed to the candidate (served in the same deadline): at
    /// most once per request; the primary-served attempt is then the primary's failure, never mirrored.
    /// </summary>
    internal bool Rescued { get; set; }

    /// <summary>Set once the request's shadow was queued or dropped: a later attempt is not mirrored again.</summary>
    internal bool ShadowSettled { get; set; }

    /// <summary>
    /// The body for a shadow exchange: the buffer itself when <see cref="BodyTransferable"/> (no longer owned here), else
    /// a pooled copy. Null when there is no complete body.
    /// </summary>
    internal CaptureBuffer? TakeBodyForShadow(int limit)
    {
        if (Body is not { Overflowed: false } body)
        {
            return null;
        }

        if (BodyTransferable)
        {
            Body = null;
            return body;
        }

        var copy = new CaptureBuffer(limit, body.Length);
        copy.Append(body.Memory.Span);
        return copy;
    }

    public void Dispose()
    {
        Body?.Dispose();
        Body = null;
    }
}
