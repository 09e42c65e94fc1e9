using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Migration.Simulator.Protocol;

/// <summary>
/// A reusable byte buffer plus JSON writer for one response body or one SSE event. One instance is cached per
/// thread so the hot path allocates neither; write synchronously, copy out, then dispose (return).
/// </summary>
internal sealed class ResponseBuffer : IDisposable
{
    private const int MaxCachedCapacity = 256 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    [ThreadStatic]
    private static ResponseBuffer? t_cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    private ResponseBuffer() => _json = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>The JSON writer; call <see cref="EndJson"/> when a JSON value is complete.</summary>
    public Utf8JsonWriter Json => _json;

    public int Length => _buffer.WrittenCount;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public static ResponseBuffer Rent()
    {
        var cached = t_cached;
        if (cached is not null)
        {
            t_cached = null;
            return cached;
        }

        return new ResponseBuffer();
    }

    /// <summary>Flushes the JSON writer into the buffer and readies it for another, independent JSON value.</summary>
    public void EndJson()
    {
        _json.Flush();
        _json.Reset(_buffer);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void Clear()
    {
        _json.Reset(_buffer);
        _buffer.ResetWrittenCount();
    }

    public void Dispose()
    {
        Clear();
        if (_buffer.Capacity <= MaxCachedCapacity)
        {
            t_cached = this;
        }
    }
}
