using System.Buffers;

namespace Migration.AspNetCore.Capture;

/// <summary>
/// A copy of bytes up to a limit, in arrays rented from <see cref="ArrayPool{T}.Shared"/> that grow by doubling.
/// Past the limit it stops copying and remembers that it overflowed. Not thread-safe: one writer at a time.
/// Disposing returns the array; the owner disposes exactly once.
/// </summary>
internal sealed class CaptureBuffer : IDisposable
{
    private const int MinimumSize = 4096;

    private readonly int _limit;
    private byte[] _buffer;
    private int _length;

    public CaptureBuffer(int limit, long? expectedLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        var initial = expectedLength is > 0 ? (int)Math.Min(expectedLength.Value, limit) : MinimumSize;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, MinimumSize));
    }

    /// <summary>The bytes copied so far.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Number of bytes copied.</summary>
    public int Length => _length;

    /// <summary>More bytes arrived than the limit allows (or the content could not be copied at all).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Copies <paramref name="data"/>; once the limit would be exceeded, copies nothing more.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (Overflowed || data.IsEmpty)
        {
            return;
        }

        if (data.Length > _limit - _length)
        {
            MarkOverflowed();
            return;
        }

        EnsureCapacity(_length + data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>
    /// Space for the next read, at most <paramref name="max"/> bytes (at least one) and never past one byte over
    /// the limit, so a read that fills it shows an overflow. Call <see cref="Commit"/> with what was read.
    /// </summary>
    public Memory<byte> GetReadSpace(int max)
    {
        var wanted = Math.Min(max, _limit + 1 - _length);
        EnsureCapacity(_length + Math.Max(wanted, 1));
        return _buffer.AsMemory(_length, Math.Max(1, Math.Min(wanted, _buffer.Length - _length)));
    }

    /// <summary>Accepts <paramref name="count"/> bytes read into <see cref="GetReadSpace"/>.</summary>
    public void Commit(int count)
    {
        _length += count;
        if (_length > _limit)
        {
            Overflowed = true;
        }
    }

    /// <summary>Marks the copy incomplete (e.g. a file was sent that was not copied).</summary>
    public void MarkOverflowed() => Overflowed = true;

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _length = 0;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(needed, (int)Math.Min((long)_buffer.Length * 2, (long)_limit + 1));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
