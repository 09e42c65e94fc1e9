namespace Migration.Core.OpenAI;

/// <summary>
/// Watches an answer's body bytes as they pass and notes when its first byte and its first content arrived. Real
/// providers flush the headers and a role-only chunk (<c>delta: {"role":"assistant","content":""}</c>) long before
/// the first token, so the time to first token of a stream is the time of its first event with a non-empty
/// <c>delta.content</c>, <c>refusal</c>, <c>reasoning_content</c> or tool call fragment (the same test as
/// <see cref="SseAssembler.HasFirstContent"/>). A body that is not an event stream (a JSON completion, an embeddings
/// answer) carries the whole answer at once: its first content is its first byte. Reading stops at the first content,
/// at <c>[DONE]</c>, or after <see cref="MaxScanBytes"/> without content (no time to first content then). Not
/// thread-safe: one body, one reader.
/// </summary>
internal sealed class FirstContentWatch
{
    /// <summary>Bytes of a stream read for its first content before giving up.</summary>
    public const int MaxScanBytes = 1024 * 1024;

    private readonly TimeProvider _time;
    private SseAssembler? _sse;
    private long _scanned;
    private bool _settled;

    public FirstContentWatch(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the first body byte; null while none passed.</summary>
    public long? FirstByteAt { get; private set; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the first content; null while none passed (or none came).</summary>
    public long? FirstContentAt { get; private set; }

    /// <summary>Notes the next bytes of the body.</summary>
    public void Observe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || _settled)
        {
            return;
        }

        var now = _time.GetTimestamp();
        FirstByteAt ??= now;

        if (_sse is null)
        {
            var start = data.TrimStart(" \t\r\n"u8);
            if (start.IsEmpty)
            {
                return;
            }

            if (!ProviderAnswerReader.IsEventStream(start, null))
            {
                Settle(now);
                return;
            }

            _sse = new SseAssembler();
        }

        if (_sse.Feed(data))
        {
            Settle(now);
            return;
        }

        _scanned += data.Length;
        if (_sse.Done || _scanned > MaxScanBytes)
        {
            Settle(null);
        }
    }

    /// <summary>A body passed without its bytes being seen (a file sent as is): first byte and content are now.</summary>
    public void ObserveOpaque()
    {
        var now = _time.GetTimestamp();
        FirstByteAt ??= now;
        if (!_settled)
        {
            Settle(now);
        }
    }

    private void Settle(long? contentAt)
    {
        _settled = true;
        _sse = null;
        FirstContentAt = contentAt;
    }
}
