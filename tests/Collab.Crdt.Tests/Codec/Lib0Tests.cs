using Collab.Crdt.Codec;

namespace Collab.Crdt.Tests.Codec;

public sealed class Lib0Tests
{
    private static Lib0Decoder Decoder(params byte[] bytes) => new(bytes, DecoderLimits.Default);

    [Theory]
    [InlineData(0UL, new byte[] { 0 })]
    [InlineData(127UL, new byte[] { 0x7f })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(182315UL, new byte[] { 0xab, 0x90, 0x0b })]
    [InlineData(9007199254740991UL, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f })]
    public void VarUint_round_trips_with_lib0_bytes(ulong value, byte[] bytes)
    {
        var e = new Lib0Encoder();
        e.WriteVarUint(value);
        Assert.Equal(bytes, e.ToArray());
        Assert.Equal(value, Decoder(bytes).ReadVarUint());
    }

    [Fact]
    public void VarUint_of_two_to_the_53_is_accepted_and_above_is_rejected()
    {
        var e = new Lib0Encoder();
        e.WriteVarUint(1UL << 53);
        Assert.Equal(1UL << 53, Decoder(e.ToArray()).ReadVarUint());

        var big = new Lib0Encoder();
        big.WriteVarUint((1UL << 53) + 1);
        var ex = Assert.Throws<YjsFormatException>(() => Decoder(big.ToArray()).ReadVarUint());
        Assert.Equal(YjsFormatError.IntegerOutOfRange, ex.Reason);
    }

    [Fact]
    public void Truncated_varuint_is_rejected_with_end_of_buffer()
    {
        var ex = Assert.Throws<YjsFormatException>(() => Decoder(0x80, 0x80).ReadVarUint());
        Assert.Equal(YjsFormatError.UnexpectedEndOfBuffer, ex.Reason);
    }

    [Fact]
    public void Ten_byte_varuint_is_rejected_as_out_of_range()
    {
        var ex = Assert.Throws<YjsFormatException>(() => Decoder(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).ReadVarUint());
        Assert.Equal(YjsFormatError.IntegerOutOfRange, ex.Reason);
    }

    [Theory]
    [InlineData(0L, false, new byte[] { 0x00 })]
    [InlineData(0L, true, new byte[] { 0x40 })]
    [InlineData(-1L, true, new byte[] { 0x41 })]
    [InlineData(63L, false, new byte[] { 0x3f })]
    [InlineData(64L, false, new byte[] { 0x80, 0x01 })]
    [InlineData(-64L, true, new byte[] { 0xc0, 0x01 })]
    public void VarInt_keeps_the_sign_of_negative_zero(long value, bool negative, byte[] bytes)
    {
        var e = new Lib0Encoder();
        e.WriteVarInt(value, negative);
        Assert.Equal(bytes, e.ToArray());
        Assert.Equal(value, Decoder(bytes).ReadVarInt(out bool neg));
        Assert.Equal(negative, neg);
    }

    [Fact]
    public void Strings_count_utf8_bytes_and_lone_surrogates_become_replacement_characters()
    {
        var e = new Lib0Encoder();
        e.WriteVarString("a\u00e9\U0001F600");
        Assert.Equal(new byte[] { 7, 0x61, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80 }, e.ToArray());

        var lone = new Lib0Encoder();
        lone.WriteVarString("\ud83d");
        Assert.Equal(new byte[] { 3, 0xef, 0xbf, 0xbd }, lone.ToArray());
    }

    [Fact]
    public void Invalid_utf8_is_rejected_and_a_bom_is_kept()
    {
        var ex = Assert.Throws<YjsFormatException>(() => Decoder(2, 0xc3, 0x28).ReadVarString());
        Assert.Equal(YjsFormatError.InvalidUtf8, ex.Reason);
        Assert.Equal("\ufeffa", Decoder(4, 0xef, 0xbb, 0xbf, 0x61).ReadVarString());
    }

    [Fact]
    public void A_length_past_the_end_is_rejected()
    {
        var ex = Assert.Throws<YjsFormatException>(() => Decoder(5, 1, 2).ReadVarUint8Array());
        Assert.Equal(YjsFormatError.UnexpectedEndOfBuffer, ex.Reason);
    }

    [Fact]
    public void A_length_past_the_configured_limit_is_rejected()
    {
        var d = new Lib0Decoder([4, 1, 2, 3, 4], DecoderLimits.Default with { MaxStringBytes = 3 });
        var ex = Assert.Throws<YjsFormatException>(() => d.ReadVarUint8Array());
        Assert.Equal(YjsFormatError.LimitExceeded, ex.Reason);
    }

    [Fact]
    public void Input_larger_than_the_configured_limit_is_rejected()
    {
        var limits = DecoderLimits.Default with { MaxInputBytes = 4 };
        var ex = Assert.Throws<YjsFormatException>(() => Updates.Decode(new byte[5], UpdateFormat.V1, limits));
        Assert.Equal(YjsFormatError.LimitExceeded, ex.Reason);
    }
}
