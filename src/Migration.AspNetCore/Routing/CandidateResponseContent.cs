using System.Net;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The candidate's committed answer as the handler hands it to the app: a stream over
/// <see cref="CandidateAnswer.ReadChunkAsync"/>, each read cancelled by the app's own token. An answer that breaks off
/// throws <see cref="IOException"/> from the read (an SDK surfaces it; never a clean end it could take for complete).
/// Disposing the content before the end counts as the caller gone. The attempt ends with the answer.
/// </summary>
internal sealed class CandidateResponseContent : HttpContent
{
    private readonly CandidateAnswer _answer;
    private readonly Action _ended;
    private int _done;

    /// <summary>
    /// The response the app gets for <paramref name="request"/> when the candidate serves it (marked with
    /// <see cref="CandidateForwarder.ServedByHeader"/>); <paramref name="ended"/> runs once when the answer ended.
    /// </summary>
    internal static HttpResponseMessage ToResponse(CandidateAnswer answer, HttpRequestMessage request, Action ended)
    {
        var response = new HttpResponseMessage((HttpStatusCode)answer.Status)
        {
            RequestMessage = request,
            Version = request.Version,
        };
        try
        {
            response.Content = new CandidateResponseContent(answer, ended);
            response.Headers.TryAddWithoutValidation(CandidateForwarder.ServedByHeader, "candidate");
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public CandidateResponseContent(CandidateAnswer answer, Action ended)
    {
        _answer = answer;
        _ended = ended;
        if (answer.ContentType is { } contentType)
        {
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new AnswerStream(this));

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var chunk = await _answer.ReadChunkAsync(cancellationToken).ConfigureAwait(false);
                if (chunk.IsEmpty)
                {
                    return;
                }

                await stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not IOException and not OperationCanceledException)
        {
            // The app's own write failed: the answer ends as the caller gone or cut off.
            _answer.Fail(ex, cancellationToken);
            throw;
        }
        finally
        {
            if (_answer.Result is not null)
            {
                End();
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    /// <summary>Releases the answer (counted as the caller gone when it had not ended) and ends the attempt.</summary>
    private void Close()
    {
        _answer.Dispose();
        End();
    }

    private void End()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _ended();
        }
    }

    private sealed class AnswerStream(CandidateResponseContent owner) : Stream
    {
        private ReadOnlyMemory<byte> _pending;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (_pending.IsEmpty)
            {
                try
                {
                    _pending = await owner._answer.ReadChunkAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (owner._answer.Result is not null)
                    {
                        owner.End();
                    }
                }

                if (_pending.IsEmpty)
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _pending.Length);
            _pending[..count].CopyTo(buffer);
            _pending = _pending[count..];
            return count;
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
                owner.Close();
            }

            base.Dispose(disposing);
        }
    }
}
