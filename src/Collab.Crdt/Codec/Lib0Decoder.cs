using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Collab.Crdt.Codec;

/// <summary>
/// Reads lib0 primitives from a slice of a byte array. Every read checks the bounds and raises
/// <see cref="YjsFormatException"/> instead of reading past the end.
/// </summary>
internal sealed class Lib0Decoder
{
    internal const ulong MaxSafeVarUint = 1UL << 53;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _buf;
    private readonly int _end;
    private int _pos;

    public Lib0Decoder(byte[] buffer, DecoderLimits limits)
        : this(buffer, 0, buffer.Length, limits)
    {
    }

    public Lib0Decoder(byte[] buffer, int offset, int length, DecoderLimits limits)
    {
        if (length > limits.MaxInputBytes)
        {
            ThrowHelper.Limit("Input size", length, limits.MaxInputBytes);
        }

        _buf = buffer;
        _pos = offset;
        _end = offset + length;
        Limits = limits;
    }

    public DecoderLimits Limits { get; }

    public bool HasContent => _pos < _end;

    public int Position => _pos;

    public int Remaining => _end - _pos;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadUint8()
    {
        if (_pos >= _end)
        {
            ThrowHelper.EndOfBuffer();
        }

        return _buf[_pos++];
    }

    // varUint: 7 bits per byte, low bits first, 0x80 = more bytes follow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarUint()
    {
        if (_pos < _end)
        {
            byte b = _buf[_pos];
            if (b < 0x80)
            {
                _pos++;
                return b;
            }
        }

        return ReadVarUintSlow();
    }

    private ulong ReadVarUintSlow()
    {
        ulong num = 0;
        int shift = 0;
        while (true)
        {
            if (_pos >= _end)
            {
                ThrowHelper.EndOfBuffer();
            }

            byte r = _buf[_pos++];
            if (shift > 49)
            {
                // a ninth byte: the value needs more than 56 bits, certainly above 2^53
                ThrowHelper.IntegerOutOfRange();
            }

            num |= (ulong)(r & 0x7F) << shift;
            shift += 7;
            if (r < 0x80)
            {
                if (num > MaxSafeVarUint)
                {
                    ThrowHelper.IntegerOutOfRange();
                }

                return num;
            }
        }
    }

    /// <summary>A varUint used as a clock, length or count: at most 2^53, so it fits a long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadVarUintLong() => (long)ReadVarUint();

    /// <summary>A varUint that counts elements that follow; bounded by the limits.</summary>
    public int ReadCount()
    {
        ulong n = ReadVarUint();
        if (n > (ulong)Limits.MaxCount)
        {
            ThrowHelper.Limit("Element count", (long)n, Limits.MaxCount);
        }

        return (int)n;
    }

    // varInt: first byte = continue 0x80, sign 0x40, 6 value bits; then 7 bits per byte.
    // Negative zero is distinct and reported through isNegative.
    public long ReadVarInt(out bool isNegative)
    {
        byte r = ReadUint8();
        ulong num = (ulong)(r & 0x3F);
        isNegative = (r & 0x40) != 0;
        if ((r & 0x80) != 0)
        {
            int shift = 6;
            while (true)
            {
                byte b = ReadUint8();
                if (shift >= 55)
                {
                    ThrowHelper.IntegerOutOfRange();
                }

                num |= (ulong)(b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80)
                {
                    break;
                }
            }

            if (num > MaxSafeVarUint)
            {
                ThrowHelper.IntegerOutOfRange();
            }
        }

        return isNegative ? -(long)num : (long)num;
    }

    public long ReadVarInt() => ReadVarInt(out _);

    public ReadOnlySpan<byte> ReadSpan(int length)
    {
        if (length < 0 || length > _end - _pos)
        {
            ThrowHelper.EndOfBuffer();
        }

        var span = new ReadOnlySpan<byte>(_buf, _pos, length);
        _pos += length;
        return span;
    }

    private int ReadByteLength()
    {
        ulong len = ReadVarUint();
        if (len > (ulong)(_end - _pos))
        {
            ThrowHelper.EndOfBuffer();
        }

        if (len > (ulong)Limits.MaxStringBytes)
        {
            ThrowHelper.Limit("String or byte array length", (long)len, Limits.MaxStringBytes);
        }

        return (int)len;
    }

    public byte[] ReadVarUint8Array() => ReadSpan(ReadByteLength()).ToArray();

    /// <summary>A varUint8Array read as a decoder over the same buffer, without copying.</summary>
    public Lib0Decoder ReadVarUint8ArrayDecoder()
    {
        int len = ReadByteLength();
        var sub = new Lib0Decoder(_buf, _pos, len, Limits);
        _pos += len;
        return sub;
    }

    public string ReadVarString()
    {
        int len = ReadByteLength();
        if (len == 0)
        {
            return string.Empty;
        }

        string s = DecodeUtf8(new ReadOnlySpan<byte>(_buf, _pos, len));
        _pos += len;
        return s;
    }

    // lib0 decodes with TextDecoder('utf-8', { fatal: true, ignoreBOM: true }): invalid bytes are an error
    // and a BOM is kept as U+FEFF.
    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new YjsFormatException(YjsFormatError.InvalidUtf8, "A string is not valid UTF-8.", e);
        }
    }

    public float ReadFloat32() => BinaryPrimitives.ReadSingleBigEndian(ReadSpan(4));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(ReadSpan(8));

    public long ReadBigInt64() => BinaryPrimitives.ReadInt64BigEndian(ReadSpan(8));
}
