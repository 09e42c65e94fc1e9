using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Capture;

/// <summary>
/// Replaces the response body feature for one request: every write, flush, start and file send goes straight to
/// the original feature (nothing is held back, so streamed answers reach the client chunk by chunk), while a copy
/// of the bytes up to a limit is kept and the times of the first body byte and the first content are noted.
/// </summary>
internal sealed class ResponseTee : Stream, IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly FirstContentWatch _watch;
    private readonly TeePipeWriter _writer;
    private CaptureBuffer? _copy;

    /// <param name="inner">The feature being wrapped (restored by the caller afterwards).</param>
    /// <param name="copy">Where the copy goes; null to only time the answer.</param>
    /// <param name="time">Source of timestamps.</param>
    public ResponseTee(IHttpResponseBodyFeature inner, CaptureBuffer? copy, TimeProvider time)
    {
        _inner = inner;
        _copy = copy;
        _watch = new FirstContentWatch(time);
        _writer = new TeePipeWriter(inner.Writer, this);
    }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the first body byte; null while none was written.</summary>
    public long? FirstByteTimestamp => _watch.FirstByteAt;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> of the first content (see <see cref="FirstContentWatch"/>); null while none was written.</summary>
    public long? FirstContentTimestamp => _watch.FirstContentAt;

    /// <summary>Body bytes written.</summary>
    public long BytesWritten { get; private set; }

    public IHttpResponseBodyFeature Inner => _inner;

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Stops copying (the copy is handed on or disposed by the owner); timing goes on.</summary>
    public void DetachCopy() => _copy = null;

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        // A file body is not copied: the answer cannot be compared, but it is sent exactly as before.
        _copy?.MarkOverflowed();
        _watch.ObserveOpaque();
        return _inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    public Task CompleteAsync() => _inner.CompleteAsync();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        _inner.Stream.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        return _inner.Stream.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Stream.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.Stream.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    internal void Observe(ReadOnlySpan<byte> data)
    {
        _watch.Observe(data);
        BytesWritten += data.Length;
        _copy?.Append(data);
    }
}
