namespace Migration.AspNetCore.Capture;

/// <summary>
/// The request body as the application reads it after the harness captured it: first the captured bytes, then
/// (when the capture stopped early) whatever is left of the original body. The application sees exactly the
/// bytes the client sent.
/// </summary>
internal sealed class ReplayStream : Stream
{
    private readonly ReadOnlyMemory<byte> _prefix;
    private readonly Stream? _rest;
    private int _position;

    /// <param name="prefix">Bytes already read from the original body.</param>
    /// <param name="rest">The original body to continue with, or null when <paramref name="prefix"/> is all of it.</param>
    public ReplayStream(ReadOnlyMemory<byte> prefix, Stream? rest)
    {
        _prefix = prefix;
        _rest = rest;
    }

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
        if (TryReadPrefix(buffer, out var read))
        {
            return read;
        }

        return _rest?.Read(buffer) ?? 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReadPrefix(buffer.Span, out var read))
        {
            return ValueTask.FromResult(read);
        }

        return _rest?.ReadAsync(buffer, cancellationToken) ?? ValueTask.FromResult(0);
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_position < _prefix.Length)
        {
            var remaining = _prefix[_position..];
            _position = _prefix.Length;
            await destination.WriteAsync(remaining, cancellationToken).ConfigureAwait(false);
        }

        if (_rest is not null)
        {
            await _rest.CopyToAsync(destination, bufferSize, cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool TryReadPrefix(Span<byte> buffer, out int read)
    {
        read = 0;
        if (_position >= _prefix.Length || buffer.IsEmpty)
        {
            return _position < _prefix.Length;
        }

        read = Math.Min(buffer.Length, _prefix.Length - _position);
        _prefix.Span.Slice(_position, read).CopyTo(buffer);
        _position += read;
        return true;
    }
}
