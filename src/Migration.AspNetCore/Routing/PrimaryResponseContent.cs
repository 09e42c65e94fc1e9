using System.Net;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The primary's response content as the handler hands it to the app: every read goes straight through (nothing is
/// held back), while the bytes are teed into the <see cref="PrimaryTap"/> and the first byte and first content are timed. The attempt
/// ends when the app read it to its end (complete), the read failed, or the app disposed it (or its stream) before the end (e.g. a
/// retry discarding a 503: timed and counted, never mirrored). A stream the app read up to its <c>data: [DONE]</c> and
/// then disposed (SDKs stop there) is complete.
/// </summary>
internal sealed class PrimaryResponseContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly PrimaryTap _tap;
    private readonly int _status;
    private readonly Action _ended;
    private readonly StreamTail _tail = new();
    private readonly FirstContentWatch _watch;
    private int _done;

    public PrimaryResponseContent(HttpContent inner, PrimaryTap tap, int status, Action ended)
    {
        _inner = inner;
        _tap = tap;
        _status = status;
        _ended = ended;
        _watch = new FirstContentWatch(tap.Time);
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new TeeStream(this, await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => new TeeStream(this, _inner.ReadAsStream(cancellationToken));

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Closed();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The app disposed the content or its stream (ends the attempt unless it ended already).</summary>
    private void Closed()
    {
        var streamDone = _inner.Headers.ContentType?.MediaType is { } media
            && media.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase) && _tail.EndsWithDone();
        End(null, callerGone: false, complete: streamDone);
    }

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            End(null, callerGone: false, complete: true);
            return;
        }

        _watch.Observe(bytes);
        _tail.Append(bytes);
        _tap.Copy?.Append(bytes);
    }

    private void Failed(Exception exception, CancellationToken cancellationToken)
    {
        var gone = exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
        End(gone ? null : ErrorClassifier.FromException(exception), gone, complete: false);
    }

    private void End(ErrorClass? failure, bool callerGone, bool complete)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        try
        {
            _tap.Complete(new PrimaryEnd(_status, _inner.Headers.ContentType?.ToString(), _watch.FirstByteAt, _watch.FirstContentAt, failure, callerGone, complete));
        }
        finally
        {
            _ended();
        }
    }

    private sealed class TeeStream(PrimaryResponseContent owner, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (Exception ex)
            {
                owner.Failed(ex, CancellationToken.None);
                throw;
            }

            owner.Observe(buffer[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                owner.Failed(ex, cancellationToken);
                throw;
            }

            owner.Observe(buffer.Span[..read]);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                owner.Closed();
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
