namespace Collab.Crdt.Tests.Codec;

public sealed class JsJsonTests
{
    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.0, "0")]
    [InlineData(0.1, "0.1")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-2.5, "-2.5")]
    public void Numbers_print_as_javascript_prints_them(double value, string expected) =>
        Assert.Equal(expected, JsNumber.ToString(value));

    [Theory]
    [InlineData("{\"b\":1,\"a\":[1,2.5,\"x\",null,true]}", "{\"b\":1,\"a\":[1,2.5,\"x\",null,true]}")]
    [InlineData(" { \"a\" : 1.0e0 } ", "{\"a\":1}")]
    [InlineData("{\"1\":1,\"a\":2,\"0\":3}", "{\"0\":3,\"1\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"a\":2}", "{\"a\":2}")]
    [InlineData("\"\\u0041\\/\\ud800\\n\\u001f\"", "\"A/\\ud800\\n\\u001f\"")]
    [InlineData("1e400", "null")]
    public void Parse_then_stringify_matches_javascript(string input, string expected) =>
        Assert.Equal(expected, JsJson.Stringify(JsJson.Parse(input, 64)));

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,]")]
    [InlineData("01")]
    [InlineData("'a'")]
    [InlineData("undefined")]
    [InlineData("1 2")]
    public void Invalid_json_is_rejected(string input)
    {
        var ex = Assert.Throws<YjsFormatException>(() => JsJson.Parse(input, 64));
        Assert.Equal(YjsFormatError.InvalidJson, ex.Reason);
    }
}
