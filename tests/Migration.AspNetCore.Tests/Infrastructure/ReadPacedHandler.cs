using System.Net;

namespace Migration.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Passes requests to a real <see cref="SocketsHttpHandler"/> and tells the test when the reader has taken the first
/// body bytes in (<see cref="FirstBytesTaken"/>: it asked for more after a read that returned bytes), so a fake clock
/// is advanced only after the reader noted the time of what came first.
/// </summary>
internal sealed class ReadPacedHandler : DelegatingHandler
{
    private readonly TaskCompletionSource _firstBytesTaken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReadPacedHandler()
        : base(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
    {
    }

    /// <summary>Completes when the reader asks for more after its first read with bytes.</summary>
    public Task FirstBytesTaken => _firstBytesTaken.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var inner = response.Content;
        var paced = new StreamContent(new PacedStream(await inner.ReadAsStreamAsync(cancellationToken), _firstBytesTaken));
        foreach (var header in inner.Headers)
        {
            paced.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = paced;
        return response;
    }

    private sealed class PacedStream(Stream inner, TaskCompletionSource taken) : Stream
    {
        private bool _hadBytes;

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
            Asked();
            var read = inner.Read(buffer);
            _hadBytes |= read > 0;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Asked();
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _hadBytes |= read > 0;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Asked()
        {
            if (_hadBytes)
            {
                taken.TrySetResult();
            }
        }
    }
}
