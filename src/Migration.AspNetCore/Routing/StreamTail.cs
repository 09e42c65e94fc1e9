namespace Migration.AspNetCore.Routing;

/// <summary>The last bytes of a stream, to see whether it ended with <c>data: [DONE]</c>.</summary>
internal sealed class StreamTail
{
    private readonly byte[] _bytes = new byte[32];
    private int _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length >= _bytes.Length)
        {
            data[^_bytes.Length..].CopyTo(_bytes);
            _length = _bytes.Length;
            return;
        }

        var keep = Math.Min(_length, _bytes.Length - data.Length);
        _bytes.AsSpan(_length - keep, keep).CopyTo(_bytes);
        data.CopyTo(_bytes.AsSpan(keep));
        _length = keep + data.Length;
    }

    public bool EndsWithDone() => _bytes.AsSpan(0, _length).TrimEnd("\r\n "u8).EndsWith("[DONE]"u8);
}
