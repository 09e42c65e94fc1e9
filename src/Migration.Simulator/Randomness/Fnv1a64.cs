using System.Text;

namespace Migration.Simulator.Randomness;

/// <summary>
/// Stable 64-bit FNV-1a hashing of text (UTF-16 code units folded as two bytes each), so the same prompt gives
/// the same hash in every process; <see cref="string.GetHashCode()"/> is randomised per process.
/// </summary>
internal struct Fnv1a64
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    private ulong _hash;
    private bool _started;

    public readonly ulong Value => _started ? _hash : OffsetBasis;

    public void Append(ReadOnlySpan<char> text)
    {
        var hash = _started ? _hash : OffsetBasis;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        _hash = hash;
        _started = true;
    }

    public void Append(long value)
    {
        Span<char> buffer = stackalloc char[4];
        buffer[0] = (char)(value & 0xFFFF);
        buffer[1] = (char)((value >> 16) & 0xFFFF);
        buffer[2] = (char)((value >> 32) & 0xFFFF);
        buffer[3] = (char)((value >> 48) & 0xFFFF);
        Append(buffer);
    }

    /// <summary>Appends a separator so that ("ab","c") and ("a","bc") hash differently.</summary>
    public void AppendSeparator() => Append("\u0001");

    public static ulong Hash(string text)
    {
        var fnv = default(Fnv1a64);
        fnv.Append(text);
        return fnv.Value;
    }

    public static ulong HashUtf8(ReadOnlySpan<byte> utf8)
    {
        var hash = OffsetBasis;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    public static ulong Hash(StringBuilder text)
    {
        var fnv = default(Fnv1a64);
        foreach (var chunk in text.GetChunks())
        {
            fnv.Append(chunk.Span);
        }

        return fnv.Value;
    }
}
