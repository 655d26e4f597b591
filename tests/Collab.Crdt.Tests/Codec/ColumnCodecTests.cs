using Collab.Crdt.Codec;

namespace Collab.Crdt.Tests.Codec;

public sealed class ColumnCodecTests
{
    private static Lib0Decoder D(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), DecoderLimits.Default);

    [Fact]
    public void UintOptRle_writes_runs_with_negative_values_and_single_values_positive()
    {
        var e = new UintOptRleEncoder();
        foreach (ulong v in new ulong[] { 0, 0, 0, 5, 7, 7 })
        {
            e.Write(v);
        }

        byte[] bytes = e.Finish().ToArray();
        // run of three 0s: -0 then count-2 = 1; single 5; run of two 7s: -7 then 0
        Assert.Equal(new byte[] { 0x40, 0x01, 0x05, 0x47, 0x00 }, bytes);
        var d = new UintOptRleDecoder(D(bytes));
        Assert.Equal(new ulong[] { 0, 0, 0, 5, 7, 7 }, Enumerable.Range(0, 6).Select(_ => d.Read()));
    }

    [Fact]
    public void IntDiffOptRle_encodes_runs_of_equal_differences()
    {
        var e = new IntDiffOptRleEncoder();
        foreach (long v in new long[] { 1, 2, 3, 10, 5 })
        {
            e.Write(v);
        }

        byte[] bytes = e.Finish().ToArray();
        var d = new IntDiffOptRleDecoder(D(bytes));
        Assert.Equal(new long[] { 1, 2, 3, 10, 5 }, Enumerable.Range(0, 5).Select(_ => d.Read()));
        // diff 1 ×3: varInt(1*2+1)=3, count-2=1; diff 7: varInt(14); diff -5: varInt(-10)
        Assert.Equal(new byte[] { 0x03, 0x01, 0x0e, 0x4a }, bytes);
    }

    [Fact]
    public void Rle_repeats_the_last_value_forever()
    {
        var e = new RleByteEncoder();
        foreach (byte v in new byte[] { 4, 4, 4, 1 })
        {
            e.Write(v);
        }

        byte[] bytes = e.Finish().ToArray();
        Assert.Equal(new byte[] { 4, 2, 1 }, bytes);
        var d = new RleByteDecoder(D(bytes));
        Assert.Equal(new byte[] { 4, 4, 4, 1, 1, 1 }, Enumerable.Range(0, 6).Select(_ => d.Read()));
    }

    [Fact]
    public void String_column_concatenates_utf16_and_slices_by_utf16_lengths()
    {
        var e = new StringColumnEncoder();
        e.Write("ab");
        e.Write("\U0001F600");
        e.Write("");
        var d = new StringColumnDecoder(D(e.Finish()));
        Assert.Equal("ab", d.Read());
        Assert.Equal("\U0001F600", d.Read());
        Assert.Equal("", d.Read());
    }
}
