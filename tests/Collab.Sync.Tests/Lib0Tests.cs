namespace Collab.Sync.Tests;

public sealed class Lib0Tests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData((1UL << 40) + 7, "878080808020")]
    [InlineData((1UL << 53) - 1, "ffffffffffffff0f")]
    public void VarUint_round_trips_as_lib0_writes_it(ulong value, string hex)
    {
        var writer = new Lib0Writer();
        writer.WriteVarUint(value);
        Assert.Equal(hex, Convert.ToHexStringLower(writer.WrittenSpan));
        var reader = new Lib0Reader(Convert.FromHexString(hex));
        Assert.Equal(value, reader.ReadVarUint());
        Assert.False(reader.HasContent);
    }

    [Theory]
    [InlineData("80808080808080808001")] // 2^63: nine bytes or more
    [InlineData("8080808080808010")] // 2^53: one past MAX_SAFE_INTEGER
    public void VarUint_above_2_pow_53_minus_1_is_rejected_with_integer_out_of_range(string hex)
    {
        var e = Assert.Throws<SyncProtocolException>(() => new Lib0Reader(Convert.FromHexString(hex)).ReadVarUint());
        Assert.Equal(SyncProtocolError.IntegerOutOfRange, e.Error);
    }

    [Fact]
    public void VarString_round_trips_astral_characters_and_long_strings()
    {
        foreach (string s in new[] { string.Empty, "👋 héllo", new string('x', 1000) + "✓" })
        {
            var writer = new Lib0Writer();
            writer.WriteVarString(s);
            var reader = new Lib0Reader(writer.WrittenSpan);
            Assert.Equal(s, reader.ReadVarString());
            Assert.False(reader.HasContent);
        }
    }
}
