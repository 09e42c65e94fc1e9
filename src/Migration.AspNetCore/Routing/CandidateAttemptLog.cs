using Migration.AspNetCore.Capture;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;
using Migration.Core.Storage;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The attempts of one live request with a fallback model chain: each one becomes a <see cref="CandidateAttempt"/>
/// (outcome, error, latency, tokens and cost), handed to <see cref="CandidateForwarder.RecordAttempt"/>.
/// </summary>
internal sealed class CandidateAttemptLog(CandidateForwarder owner, string requestId, string route, string reason, string requestedModel)
{
    private int _number;
    private string _model = string.Empty;
    private DateTimeOffset _at;
    private long _started;

    public void Begin(string model, DateTimeOffset at, long started)
    {
        _number++;
        _model = model;
        _at = at;
        _started = started;
    }

    public void End(string outcome, ErrorClass error, int? status, TokenUsage? usage, decimal? cost, string? message, TimeSpan? ttft = null) =>
        owner.RecordAttempt(new CandidateAttempt
        {
            Time = _at,
            RequestId = requestId,
            Route = route,
            Reason = reason,
            RequestedModel = requestedModel,
            Model = _model,
            Attempt = _number,
            Outcome = outcome,
            ErrorClass = error,
            Status = status,
            LatencyMs = owner.Time.GetElapsedTime(_started).TotalMilliseconds,
            TtftMs = ttft?.TotalMilliseconds,
            TokensIn = usage?.PromptTokens,
            TokensOut = usage?.CompletionTokens,
            CostUsd = cost,
            Message = message,
        });

    /// <summary>The attempt whose answer was handed out: its cost from the usage the answer reported.</summary>
    public void EndServed(CandidateForwardResult served, int status, string? contentType, long? firstContentAt, CaptureBuffer? capture, AnswerKind kind)
    {
        var outcome = served.Outcome switch
        {
            CandidateForwardOutcome.Served => AttemptOutcome.Served,
            CandidateForwardOutcome.ClientAborted => AttemptOutcome.ClientAborted,
            _ => AttemptOutcome.FailedAfterCommit,
        };
        TokenUsage? usage = null;
        decimal? cost = null;
        try
        {
            if (capture is { Overflowed: false, Length: > 0 })
            {
                usage = ProviderAnswerReader.Read(status, capture.Memory.Span, contentType, kind).Usage;
            }

            cost = usage is null ? null : owner.Prices.Cost(_model, usage);
        }
        catch (Exception ex)
        {
            // An answer we cannot price is recorded without cost; the caller already has it.
            owner.AttemptRecordFailed(route, ex);
        }

        TimeSpan? ttft = firstContentAt is { } content ? owner.Time.GetElapsedTime(_started, content) : null;
        End(outcome, served.Error, served.Status, usage, cost, served.Message, ttft);
    }
}
