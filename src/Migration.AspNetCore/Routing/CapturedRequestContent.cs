using System.Net;
using Migration.AspNetCore.Capture;

namespace Migration.AspNetCore.Routing;

/// <summary>
/// The app's request content once the handler captured it: the captured bytes (then, when the capture stopped at its
/// limit, the rest of the original stream), with the original's headers. A complete capture can be sent again, so
/// the app's retries work even for a one-shot stream. Disposing it (with the message) disposes the original and
/// releases the message's hold on the captured body.
/// </summary>
internal sealed class CapturedRequestContent : HttpContent
{
    private readonly CaptureBuffer _captured;
    private readonly Stream? _rest;
    private readonly HttpContent _original;
    private readonly OutgoingRequest _owner;
    private int _restUsed;
    private int _disposed;

    public CapturedRequestContent(CaptureBuffer captured, Stream? rest, HttpContent original, OutgoingRequest owner)
    {
        _captured = captured;
        _rest = rest;
        _original = original;
        _owner = owner;
        foreach (var header in original.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (rest is not null && original.Headers.ContentLength is { } length)
        {
            Headers.ContentLength = length;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_rest is not null && Interlocked.Exchange(ref _restUsed, 1) != 0)
        {
            throw new InvalidOperationException("The request content was a stream larger than Shadow:MaxBodyBytes and has already been sent.");
        }

        await stream.WriteAsync(_captured.Memory, cancellationToken).ConfigureAwait(false);
        if (_rest is not null)
        {
            await _rest.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _captured.Length;
        return _rest is null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _rest?.Dispose();
            _original.Dispose();
            _owner.Release();
        }

        base.Dispose(disposing);
    }
}
