using System.IO.Pipelines;

namespace Migration.AspNetCore.Capture;

/// <summary>
/// The <see cref="PipeWriter"/> side of <see cref="ResponseTee"/>: hands out the original writer's memory and, on
/// <see cref="Advance"/>, copies the bytes just written before passing the call on. Nothing is buffered here.
/// </summary>
internal sealed class TeePipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly ResponseTee _tee;
    private Memory<byte> _lastMemory;

    public TeePipeWriter(PipeWriter inner, ResponseTee tee)
    {
        _inner = inner;
        _tee = tee;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _lastMemory = _inner.GetMemory(sizeHint);
        return _lastMemory;
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes > 0 && bytes <= _lastMemory.Length)
        {
            _tee.Observe(_lastMemory.Span[..bytes]);
        }

        _lastMemory = bytes <= _lastMemory.Length ? _lastMemory[bytes..] : default;
        _inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        _tee.Observe(source.Span);
        return _inner.WriteAsync(source, cancellationToken);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);
}
