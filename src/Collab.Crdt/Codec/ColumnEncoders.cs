using System.Text;

namespace Collab.Crdt.Codec;

// The column codecs of update v2. Each writes into its own buffer; UpdateEncoderV2 concatenates the
// columns as varUint8Arrays.

/// <summary>
/// Rle of bytes: the value, and when it changes, <c>count-1</c> for the finished run.
/// The last run carries no count (the decoder repeats it forever).
/// </summary>
internal sealed class RleByteEncoder
{
    private readonly Lib0Encoder _enc = new(64);
    private int _s = -1;
    private ulong _count;

    public void Write(byte v)
    {
        if (_s == v)
        {
            _count++;
            return;
        }

        if (_count > 0)
        {
            _enc.WriteVarUint(_count - 1);
        }

        _count = 1;
        _enc.WriteUint8(v);
        _s = v;
    }

    public ReadOnlySpan<byte> Finish() => _enc.WrittenSpan;
}

/// <summary>
/// UintOptRle: a single value as <c>varInt(v)</c>; a run as <c>varInt(-v)</c> (negative zero for 0)
/// followed by <c>varUint(count-2)</c>.
/// </summary>
internal sealed class UintOptRleEncoder
{
    private readonly Lib0Encoder _enc = new(64);
    private ulong _s;
    private ulong _count;

    public void Write(ulong v)
    {
        if (_s == v)
        {
            _count++;
            return;
        }

        Flush();
        _count = 1;
        _s = v;
    }

    private void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        _enc.WriteVarInt(_count == 1 ? (long)_s : -(long)_s, negative: _count > 1);
        if (_count > 1)
        {
            _enc.WriteVarUint(_count - 2);
        }
    }

    public ReadOnlySpan<byte> Finish()
    {
        Flush();
        _count = 0;
        return _enc.WrittenSpan;
    }
}

/// <summary>
/// IntDiffOptRle: runs of equal differences; <c>varInt(diff*2 + hasRun)</c>, then <c>varUint(count-2)</c>
/// when the run is longer than one.
/// </summary>
internal sealed class IntDiffOptRleEncoder
{
    private readonly Lib0Encoder _enc = new(64);
    private long _s;
    private ulong _count;
    private long _diff;

    public void Write(long v)
    {
        if (_diff == v - _s)
        {
            _s = v;
            _count++;
            return;
        }

        Flush();
        _count = 1;
        _diff = v - _s;
        _s = v;
    }

    private void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        long encoded = (_diff * 2) + (_count == 1 ? 0 : 1);
        _enc.WriteVarInt(encoded);
        if (_count > 1)
        {
            _enc.WriteVarUint(_count - 2);
        }
    }

    public ReadOnlySpan<byte> Finish()
    {
        Flush();
        _count = 0;
        return _enc.WrittenSpan;
    }
}

/// <summary>
/// The v2 string column: all strings concatenated (as UTF-16, then encoded once as a varString), followed
/// by the UintOptRle of their UTF-16 lengths.
/// </summary>
internal sealed class StringColumnEncoder
{
    private readonly StringBuilder _sb = new();
    private readonly UintOptRleEncoder _lens = new();

    public void Write(string s)
    {
        _sb.Append(s);
        _lens.Write((ulong)s.Length);
    }

    public void Write(string s, int start)
    {
        _sb.Append(s, start, s.Length - start);
        _lens.Write((ulong)(s.Length - start));
    }

    public byte[] Finish()
    {
        var enc = new Lib0Encoder(_sb.Length + 16);
        enc.WriteVarString(_sb.ToString());
        enc.WriteBytes(_lens.Finish());
        return enc.ToArray();
    }
}
