using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Collab.Crdt.Codec;

/// <summary>Writes lib0 primitives into a growable buffer.</summary>
internal sealed class Lib0Encoder
{
    private byte[] _buf;
    private int _len;

    public Lib0Encoder(int capacity = 256) => _buf = new byte[Math.Max(capacity, 16)];

    public int Length => _len;

    public ReadOnlySpan<byte> WrittenSpan => new(_buf, 0, _len);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Clear() => _len = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int extra)
    {
        if (_len + extra > _buf.Length)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra)
    {
        int size = Math.Max(_buf.Length * 2, _len + extra);
        Array.Resize(ref _buf, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUint8(byte b)
    {
        if (_len >= _buf.Length)
        {
            Grow(1);
        }

        _buf[_len++] = b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarUint(ulong num)
    {
        if (num < 0x80)
        {
            WriteUint8((byte)num);
            return;
        }

        Ensure(10);
        while (num > 0x7F)
        {
            _buf[_len++] = (byte)(0x80 | (num & 0x7F));
            num >>= 7;
        }

        _buf[_len++] = (byte)num;
    }

    public void WriteVarUint(long num)
    {
        if (num < 0)
        {
            ThrowHelper.Invalid(YjsFormatError.IntegerOutOfRange, $"Cannot write the negative value {num} as a varUint.");
        }

        WriteVarUint((ulong)num);
    }

    /// <summary>varInt with an explicit sign, so that negative zero can be written.</summary>
    public void WriteVarInt(long num, bool negative)
    {
        ulong mag = negative ? (ulong)(-num) : (ulong)num;
        Ensure(11);
        _buf[_len++] = (byte)((mag > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (int)(mag & 0x3F));
        mag >>= 6;
        while (mag > 0)
        {
            _buf[_len++] = (byte)((mag > 0x7F ? 0x80 : 0) | (int)(mag & 0x7F));
            mag >>= 7;
        }
    }

    public void WriteVarInt(long num) => WriteVarInt(num, num < 0);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(new Span<byte>(_buf, _len, bytes.Length));
        _len += bytes.Length;
    }

    public void WriteVarUint8Array(ReadOnlySpan<byte> bytes)
    {
        WriteVarUint((ulong)bytes.Length);
        WriteBytes(bytes);
    }

    // varString: varUint UTF-8 byte length, then the bytes. Lone surrogates become U+FFFD, as TextEncoder does.
    public void WriteVarString(string s) => WriteVarString(s.AsSpan());

    public void WriteVarString(ReadOnlySpan<char> s)
    {
        if (s.Length == 0)
        {
            WriteUint8(0);
            return;
        }

        int count = System.Text.Encoding.UTF8.GetByteCount(s);
        WriteVarUint((ulong)count);
        Ensure(count);
        System.Text.Encoding.UTF8.GetBytes(s, new Span<byte>(_buf, _len, count));
        _len += count;
    }

    public void WriteFloat32(float v)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleBigEndian(new Span<byte>(_buf, _len, 4), v);
        _len += 4;
    }

    public void WriteFloat64(double v)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleBigEndian(new Span<byte>(_buf, _len, 8), v);
        _len += 8;
    }

    public void WriteBigInt64(long v)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(new Span<byte>(_buf, _len, 8), v);
        _len += 8;
    }
}
