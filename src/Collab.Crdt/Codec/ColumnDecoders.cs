namespace Collab.Crdt.Codec;

// Decoders for the v2 columns; each is the inverse of its encoder in ColumnEncoders.cs.

internal sealed class RleByteDecoder(Lib0Decoder d)
{
    private byte _s;
    private long _count;

    public byte Read()
    {
        if (_count == 0)
        {
            _s = d.ReadUint8();
            // the last run has no count: repeat it forever
            _count = d.HasContent ? d.ReadVarUintLong() + 1 : -1;
        }

        _count--;
        return _s;
    }
}

internal sealed class UintOptRleDecoder(Lib0Decoder d)
{
    private ulong _s;
    private long _count;

    public ulong Read()
    {
        if (_count == 0)
        {
            long v = d.ReadVarInt(out bool negative);
            _count = 1;
            if (negative)
            {
                v = -v;
                _count = d.ReadVarUintLong() + 2;
            }

            if (v < 0)
            {
                ThrowHelper.Invalid(YjsFormatError.IntegerOutOfRange, "A UintOptRle column holds a negative value.");
            }

            _s = (ulong)v;
        }

        _count--;
        return _s;
    }

    public long ReadLong() => (long)Read();
}

internal sealed class IntDiffOptRleDecoder(Lib0Decoder d)
{
    private long _s;
    private long _count;
    private long _diff;

    public long Read()
    {
        if (_count == 0)
        {
            long diff = d.ReadVarInt();
            bool hasCount = (diff & 1) != 0;
            _diff = diff >> 1; // floor(diff / 2), as lib0 does
            _count = 1;
            if (hasCount)
            {
                _count = d.ReadVarUintLong() + 2;
            }
        }

        _s += _diff;
        _count--;
        if (_s < 0 || _s > (long)Lib0Decoder.MaxSafeVarUint)
        {
            ThrowHelper.Invalid(YjsFormatError.IntegerOutOfRange, "An IntDiffOptRle column leaves the range of clocks.");
        }

        return _s;
    }
}

/// <summary>The v2 string column: one string, sliced by a UintOptRle of UTF-16 lengths.</summary>
internal sealed class StringColumnDecoder
{
    private readonly string _str;
    private readonly UintOptRleDecoder _lens;
    private int _spos;

    public StringColumnDecoder(Lib0Decoder d)
    {
        _str = d.ReadVarString();
        _lens = new UintOptRleDecoder(d);
    }

    public string Read()
    {
        ulong len = _lens.Read();
        // lib0 slices without checking; a slice past the end is shorter, never an error
        int start = Math.Min(_spos, _str.Length);
        int end = len > (ulong)(_str.Length - start) ? _str.Length : start + (int)len;
        _spos = (int)Math.Min((ulong)_spos + len, int.MaxValue);
        return _str.Substring(start, end - start);
    }
}
