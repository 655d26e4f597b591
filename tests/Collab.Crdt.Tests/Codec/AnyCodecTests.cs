using Collab.Crdt.Codec;

namespace Collab.Crdt.Tests.Codec;

public sealed class AnyCodecTests
{
    private static byte[] Write(object? v)
    {
        var e = new Lib0Encoder();
        AnyCodec.Write(e, v);
        return e.ToArray();
    }

    private static object? Read(byte[] bytes) => AnyCodec.Read(new Lib0Decoder(bytes, DecoderLimits.Default));

    [Fact]
    public void Numbers_choose_varint_float32_or_float64_as_lib0_does()
    {
        Assert.Equal(new byte[] { 125, 0x2a }, Write(42.0));
        Assert.Equal(new byte[] { 125, 0x40 }, Write(-0.0));
        Assert.Equal(new byte[] { 124, 0x3f, 0xc0, 0, 0 }, Write(1.5));
        Assert.Equal(new byte[] { 123, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a }, Write(0.1));
        // above 2^31 - 1 integers are no longer varInts
        Assert.Equal(124, Write(2147483648.0)[0]);
        Assert.Equal(new byte[] { 123, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0 }, Write(JsValue.Normalize(double.NaN)));
        // a decoded NaN keeps its bits, as V8 keeps them
        Assert.Equal(new byte[] { 123, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f }, Write(Read([123, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f])));
    }

    [Fact]
    public void Every_kind_round_trips()
    {
        var obj = new JsObject { ["b"] = 1.0, ["a"] = new List<object?> { null, true, false, "x", Undefined.Value, 7L, new byte[] { 1, 2 } } };
        byte[] bytes = Write(obj);
        var back = Assert.IsType<JsObject>(Read(bytes));
        Assert.Equal(bytes, Write(back));
        Assert.Equal(new[] { "b", "a" }, back.Select(kv => kv.Key));
    }

    [Fact]
    public void Object_keys_enumerate_in_javascript_order()
    {
        var obj = new JsObject { ["z"] = 1.0, ["10"] = 2.0, ["2"] = 3.0, ["01"] = 4.0 };
        Assert.Equal(new[] { "2", "10", "z", "01" }, obj.Select(kv => kv.Key));
    }

    [Fact]
    public void Unknown_tag_is_rejected()
    {
        var ex = Assert.Throws<YjsFormatException>(() => Read([100]));
        Assert.Equal(YjsFormatError.UnknownAnyTag, ex.Reason);
    }

    [Fact]
    public void Deep_nesting_is_rejected_before_the_stack_is_at_risk()
    {
        byte[] bytes = Enumerable.Repeat((byte)117, 100_000).Concat(Enumerable.Repeat((byte)1, 1)).ToArray();
        var nested = new byte[200_000];
        for (int i = 0; i < 100_000; i++)
        {
            nested[2 * i] = 117;
            nested[(2 * i) + 1] = 1;
        }

        var ex = Assert.Throws<YjsFormatException>(() => Read(nested));
        Assert.Equal(YjsFormatError.LimitExceeded, ex.Reason);
        Assert.NotEmpty(bytes);
    }
}
