using System.Text;

namespace Collab.Sync;

/// <summary>Writes the lib0 primitives y-protocols uses into a growable buffer.</summary>
public sealed class Lib0Writer
{
    private byte[] _buf;
    private int _len;

    public Lib0Writer(int capacity = 64)
    {
        _buf = new byte[Math.Max(capacity, 16)];
    }

    public int Length => _len;

    public ReadOnlySpan<byte> WrittenSpan => _buf.AsSpan(0, _len);

    public byte[] ToArray() => _buf.AsSpan(0, _len).ToArray();

    public void WriteUint8(byte value)
    {
        Ensure(1);
        _buf[_len++] = value;
    }

    public void WriteVarUint(ulong value)
    {
        Ensure(10);
        while (value > 0x7F)
        {
            _buf[_len++] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }

        _buf[_len++] = (byte)value;
    }

    public void WriteVarUint8Array(ReadOnlySpan<byte> bytes)
    {
        WriteVarUint((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    public void WriteVarString(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        int exact = max <= 256 ? -1 : Encoding.UTF8.GetByteCount(value);
        if (exact < 0)
        {
            Span<byte> scratch = stackalloc byte[max];
            int n = Encoding.UTF8.GetBytes(value, scratch);
            WriteVarUint8Array(scratch[..n]);
            return;
        }

        WriteVarUint((ulong)exact);
        Ensure(exact);
        Encoding.UTF8.GetBytes(value, _buf.AsSpan(_len));
        _len += exact;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buf.AsSpan(_len));
        _len += bytes.Length;
    }

    /// <summary>The number of bytes <see cref="WriteVarUint"/> writes for <paramref name="value"/>.</summary>
    public static int VarUintSize(ulong value)
    {
        int n = 1;
        while (value > 0x7F)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private void Ensure(int extra)
    {
        if (_len + extra <= _buf.Length)
        {
            return;
        }

        int size = Math.Max(_buf.Length * 2, _len + extra);
        Array.Resize(ref _buf, size);
    }
}
