using Microsoft.AspNetCore.Http;

namespace Migration.AspNetCore.Capture;

/// <summary>
/// Reads the request body up to a limit before the application runs and hands the application a stream that
/// replays the same bytes (and continues with the rest of the original body when the limit was passed).
/// </summary>
internal static class RequestCapture
{
    private const int ReadSize = 16 * 1024;

    /// <summary>
    /// Captures the body of <paramref name="request"/>. The returned buffer is complete (not
    /// <see cref="CaptureBuffer.Overflowed"/>) when the whole body fit in <paramref name="limit"/> bytes. Returns
    /// null, leaving the body untouched, when Content-Length already says it is too large. A read error of the
    /// body (client gone, bad request) leaves the application a stream that replays what was read and then
    /// fails the same way, and the capture is marked incomplete.
    /// </summary>
    public static async Task<CaptureBuffer?> CaptureAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > limit)
        {
            return null;
        }

        var original = request.Body;
        var buffer = new CaptureBuffer(limit, declared + 1);
        try
        {
            while (true)
            {
                var space = buffer.GetReadSpace(ReadSize);
                var read = await original.ReadAsync(space, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Commit(read);
                if (buffer.Overflowed)
                {
                    break;
                }
            }
        }
        catch (Exception)
        {
            // Not the harness's failure: give the application the same bytes and the same failure on its next read.
            buffer.MarkOverflowed();
            request.Body = new ReplayStream(buffer.Memory, original);
            return buffer;
        }

        request.Body = new ReplayStream(buffer.Memory, buffer.Overflowed ? original : null);
        return buffer;
    }
}
