using System.Buffers;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;

namespace Migration.AspNetCore.Routing;

/// <summary>The candidate's response up to its first body bytes (or why it failed before them).</summary>
internal sealed class FirstBytes : IDisposable
{
    private byte[]? _buffer;

    public FirstBytes(HttpResponseMessage response, Stream stream, byte[] buffer, int status)
    {
        Response = response;
        Stream = stream;
        _buffer = buffer;
        Status = status;
    }

    private FirstBytes(ErrorClass error, int? status, string message, TimeSpan? retryAfter)
    {
        Failed = true;
        Error = error;
        Status = status;
        Message = message;
        RetryAfter = retryAfter;
    }

    public bool Failed { get; }

    public ErrorClass Error { get; }

    public int? Status { get; }

    public string? Message { get; }

    /// <summary>The wait a 429 asked for (<c>Retry-After</c> or <c>retry-after-ms</c>); null when none.</summary>
    public TimeSpan? RetryAfter { get; }

    public HttpResponseMessage? Response { get; }

    public Stream? Stream { get; }

    /// <summary>The pooled read buffer (the first <see cref="Count"/> bytes are the first bytes); empty once disposed.</summary>
    public byte[] Buffer => _buffer ?? [];

    public int Count { get; set; }

    /// <summary>Times the answer's first byte and first content (fed the first bytes, then every chunk handed on).</summary>
    public FirstContentWatch? Watch { get; set; }

    public static FirstBytes Failure(ErrorClass error, int? status, string message, TimeSpan? retryAfter = null) => new(error, status, message, retryAfter);

    public void Dispose()
    {
        Stream?.Dispose();
        Response?.Dispose();
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
