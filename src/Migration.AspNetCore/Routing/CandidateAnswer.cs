using Migration.AspNetCore.Capture;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The candidate's answer once its first body bytes are in: what an adapter commits to its caller. Chunks come
/// from <see cref="ReadChunkAsync"/> (first the bytes already read, then the rest as it arrives), bounded by what
/// is left of the request's one deadline (<c>Candidate:Timeout</c>). The answer ends exactly once: served (a stream
/// must end with <c>data: [DONE]</c>, else it counts as cut off), failed after commit, or the caller gone (it
/// cancelled, or disposed the answer before its end). At the end it records itself (fallback-chain attempt, passive
/// health signal) and calls <see cref="Finished"/> (the pipeline's traffic record).
/// </summary>
internal sealed class CandidateAnswer : IDisposable
{
    private const string ClientGone = "client went away";

    /// <summary>Timers take at most ~49.7 days; a longer budget is as good as none.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly CandidateForwarder _owner;
    private readonly FirstBytes _first;
    private readonly long _started;
    private readonly CancellationToken _lifetime;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource? _linked;
    private readonly StreamTail _tail = new();
    private readonly CaptureBuffer? _capture;
    private readonly CandidateAttemptLog? _attempts;
    private readonly AnswerKind _kind;
    private readonly string _route;
    private readonly int _status;
    private readonly string? _contentType;
    private bool _firstPending = true;
    private CancellationToken _readToken;
    private CancellationTokenSource? _readLinked;
    private CandidateForwardResult? _result;

    internal CandidateAnswer(
        CandidateForwarder owner,
        FirstBytes first,
        long started,
        TimeSpan remaining,
        CaptureBuffer? capture,
        CandidateAttemptLog? attempts,
        AnswerKind kind,
        string route,
        CancellationToken lifetime)
    {
        _owner = owner;
        _first = first;
        _started = started;
        _capture = capture;
        _attempts = attempts;
        _kind = kind;
        _route = route;
        _lifetime = lifetime;
        var response = first.Response!;
        _status = (int)response.StatusCode;
        _contentType = response.Content.Headers.ContentType?.ToString();
        IsEventStream = response.Content.Headers.ContentType?.MediaType is { } media && media.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);

        // What is left of the request's one deadline, never a fresh one.
        _deadline = new CancellationTokenSource(remaining > MaxTimer ? MaxTimer : remaining, owner.Time);
        _linked = lifetime.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, lifetime) : null;
    }

    /// <summary>The candidate's HTTP status (2xx).</summary>
    public int Status => _status;

    /// <summary>The candidate's content type.</summary>
    public string? ContentType => _contentType;

    /// <summary>Whether the answer is an SSE stream (flushed chunk by chunk, must end with <c>[DONE]</c>).</summary>
    public bool IsEventStream { get; }

    /// <summary>Cancelled when the deadline passes or the caller is gone: for the adapter's own writes.</summary>
    public CancellationToken Token => _linked?.Token ?? _deadline.Token;

    /// <summary>How the answer ended; null while it is still being handed out.</summary>
    public CandidateForwardResult? Result => Volatile.Read(ref _result);

    /// <summary>Called once when the answer ended (set by the pipeline before the commit).</summary>
    public Action<CandidateForwardResult>? Finished { get; set; }

    /// <summary>
    /// The next chunk (valid until the next call); empty at the end of a complete answer. Throws
    /// <see cref="IOException"/> when the answer broke off (or a stream ended without <c>[DONE]</c>) and
    /// <see cref="OperationCanceledException"/> when the caller went away; the answer has ended by then.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadChunkAsync(CancellationToken cancellationToken = default)
    {
        if (Result is { } ended)
        {
            return ended.Outcome == CandidateForwardOutcome.Served ? ReadOnlyMemory<byte>.Empty : throw Broken(ended, null);
        }

        if (_firstPending)
        {
            _firstPending = false;
            return Observe(_first.Buffer.AsMemory(0, _first.Count), timed: true);
        }

        int read;
        try
        {
            read = await _first.Stream!.ReadAsync(_first.Buffer, TokenFor(cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Broken(Fail(ex, cancellationToken), ex);
        }

        if (read > 0)
        {
            return Observe(_first.Buffer.AsMemory(0, read), timed: false);
        }

        if (IsEventStream && !_tail.EndsWithDone())
        {
            // A clean end without the OpenAI terminator is a cut-off answer: never hand it on as complete.
            throw Broken(Finish(CandidateForwardOutcome.FailedAfterCommit, ErrorClass.TruncatedStream, "the stream ended without [DONE]"), null);
        }

        Finish(CandidateForwardOutcome.Served, ErrorClass.None, null);
        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>
    /// Ends the answer after <paramref name="exception"/> (a read, or the adapter's own write, failed) and says how:
    /// the caller gone when it (or <paramref name="cancellationToken"/>) was cancelled, else timed out or cut off.
    /// Returns the earlier end when the answer had already ended.
    /// </summary>
    public CandidateForwardResult Fail(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Result is { } ended)
        {
            return ended;
        }

        if (_lifetime.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            return Finish(CandidateForwardOutcome.ClientAborted, ErrorClass.Other, ClientGone);
        }

        return _deadline.IsCancellationRequested
            ? Finish(CandidateForwardOutcome.FailedAfterCommit, ErrorClass.Timeout, "answer not complete within Candidate:Timeout")
            : Finish(CandidateForwardOutcome.FailedAfterCommit, ErrorClass.TruncatedStream, "answer cut off: " + exception.GetType().Name);
    }

    /// <summary>
    /// Releases the upstream response and buffers. An answer not read to its end counts as the caller gone, except a
    /// stream read up to its <c>data: [DONE]</c> (SDKs stop there without waiting for the connection's end): served.
    /// </summary>
    public void Dispose()
    {
        if (Result is null)
        {
            if (IsEventStream && _tail.EndsWithDone())
            {
                Finish(CandidateForwardOutcome.Served, ErrorClass.None, null);
            }
            else
            {
                Finish(CandidateForwardOutcome.ClientAborted, ErrorClass.Other, ClientGone);
            }
        }

        _readLinked?.Dispose();
        _linked?.Dispose();
        _deadline.Dispose();
        _capture?.Dispose();
        _first.Dispose();
    }

    private static Exception Broken(CandidateForwardResult ended, Exception? cause) => ended.Outcome == CandidateForwardOutcome.ClientAborted
        ? cause as OperationCanceledException ?? new OperationCanceledException(ClientGone, cause)
        : new IOException("The candidate's answer was interrupted: " + ended.Message, cause);

    private ReadOnlyMemory<byte> Observe(ReadOnlyMemory<byte> chunk, bool timed)
    {
        if (!timed)
        {
            _first.Watch?.Observe(chunk.Span);
        }

        _tail.Append(chunk.Span);
        _capture?.Append(chunk.Span);
        return chunk;
    }

    private CancellationToken TokenFor(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return Token;
        }

        if (_readLinked is null || _readToken != cancellationToken)
        {
            _readLinked?.Dispose();
            _readLinked = CancellationTokenSource.CreateLinkedTokenSource(Token, cancellationToken);
            _readToken = cancellationToken;
        }

        return _readLinked.Token;
    }

    private CandidateForwardResult Finish(CandidateForwardOutcome outcome, ErrorClass error, string? message)
    {
        var contentAt = _first.Watch?.FirstContentAt;
        TimeSpan? ttft = contentAt is { } content ? _owner.Time.GetElapsedTime(_started, content) : null;
        var result = new CandidateForwardResult(outcome, error, _status, message, _owner.Time.GetElapsedTime(_started), ttft);
        if (Interlocked.CompareExchange(ref _result, result, null) is { } earlier)
        {
            return earlier;
        }

        if (outcome == CandidateForwardOutcome.FailedAfterCommit)
        {
            _owner.FailedAfterCommit(_route, message!);
        }

        _attempts?.EndServed(result, _status, _contentType, contentAt, _capture, _kind);
        if (outcome != CandidateForwardOutcome.ClientAborted)
        {
            _owner.Report(result);
        }

        Finished?.Invoke(result);
        return result;
    }
}
