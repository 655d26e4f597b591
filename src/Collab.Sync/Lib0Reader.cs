using System.Text;

namespace Collab.Sync;

/// <summary>
/// Reads the lib0 primitives y-protocols uses (varUint, varString, varUint8Array) from a span, bounds-checked:
/// malformed input raises <see cref="SyncProtocolException"/>.
/// </summary>
public ref struct Lib0Reader
{
    private const ulong MaxSafeInteger = (1UL << 53) - 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buf;
    private int _pos;

    public Lib0Reader(ReadOnlySpan<byte> buffer)
    {
        _buf = buffer;
        _pos = 0;
    }

    public readonly int Position => _pos;

    public readonly int Remaining => _buf.Length - _pos;

    public readonly bool HasContent => _pos < _buf.Length;

    // varUint: 7 bits per byte, low bits first, 0x80 = more bytes follow; lib0 rejects values above 2^53 - 1.
    public ulong ReadVarUint()
    {
        ulong num = 0;
        int shift = 0;
        while (true)
        {
            if (_pos >= _buf.Length)
            {
                SyncThrowHelper.EndOfBuffer();
            }

            if (shift > 49)
            {
                // a ninth byte: more than 56 bits
                SyncThrowHelper.IntegerOutOfRange();
            }

            byte b = _buf[_pos++];

            num |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (num > MaxSafeInteger)
                {
                    SyncThrowHelper.IntegerOutOfRange();
                }

                return num;
            }

            shift += 7;
        }
    }

    /// <summary>A varUint that must fit a 32-bit length.</summary>
    public int ReadLength()
    {
        ulong len = ReadVarUint();
        if (len > int.MaxValue)
        {
            SyncThrowHelper.EndOfBuffer();
        }

        return (int)len;
    }

    // varUint8Array: varUint length, then the bytes.
    public ReadOnlySpan<byte> ReadVarUint8Array()
    {
        int len = ReadLength();
        if (len > _buf.Length - _pos)
        {
            SyncThrowHelper.EndOfBuffer();
        }

        var slice = _buf.Slice(_pos, len);
        _pos += len;
        return slice;
    }

    /// <summary>Reads a varUint8Array and reports where its bytes lie, so callers can slice a Memory without copying.</summary>
    public (int Offset, int Length) ReadVarUint8ArrayRange()
    {
        int len = ReadLength();
        if (len > _buf.Length - _pos)
        {
            SyncThrowHelper.EndOfBuffer();
        }

        int offset = _pos;
        _pos += len;
        return (offset, len);
    }

    // varString: varUint UTF-8 byte length, then the bytes.
    public string ReadVarString()
    {
        var bytes = ReadVarUint8Array();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            SyncThrowHelper.InvalidUtf8();
            return null;
        }
    }

    /// <summary>The raw UTF-8 bytes of a varString, validated.</summary>
    public ReadOnlySpan<byte> ReadVarStringUtf8()
    {
        var bytes = ReadVarUint8Array();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            SyncThrowHelper.InvalidUtf8();
        }

        return bytes;
    }

    public readonly void EnsureEnd(string what)
    {
        if (_pos != _buf.Length)
        {
            SyncThrowHelper.Invalid(SyncProtocolError.TrailingBytes, $"{_buf.Length - _pos} unexpected byte(s) after the {what}.");
        }
    }
}
