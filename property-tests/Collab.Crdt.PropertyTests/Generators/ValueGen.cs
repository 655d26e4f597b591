using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Collab.Crdt.PropertyTests.Generators;

/// <summary>
/// Values for history scripts, in the tagged JSON that oracle.mjs turns back into JavaScript values (see its
/// header): every lib0 <c>any</c> kind, plus the plain JSON used by formats, embeds and ContentJSON.
/// </summary>
internal static class ValueGen
{
    // Pieces that exercise UTF-8 widths, UTF-16 surrogate pairs, grapheme clusters and JSON escaping.
    private static readonly string[] Fragments =
    [
        "a", "b", "xyz", "Hello", " ", "é", "ß", "中文", "руб", "ﬁ", "😀", "𝄞", "𠜎", "👩‍👩‍👧", "e\u0301", "\n", "\t",
        "\"", "\\", "\u0000", "\u2028", "{}", "undefined", "null", "\u007f", "\u0080", "\uffff",
    ];

    private static readonly string[] Keys = ["k", "key", "a", "b", "", "ключ", "🔑", "a b", "__proto__x", "0"];

    public static Gen<string> Text(int maxFragments) =>
        from n in Gen.Choose(0, maxFragments)
        from parts in Gen.ArrayOf(Gen.Elements(Fragments), n)
        select string.Concat(parts);

    public static Gen<string> NonEmptyText(int maxFragments) =>
        from n in Gen.Choose(1, maxFragments)
        from parts in Gen.ArrayOf(Gen.Elements(Fragments), n)
        select string.Concat(parts);

    public static Gen<string> Key { get; } = Gen.Elements(Keys);

    private static JsonNode? Tag(string tag, JsonNode? value) => new JsonObject { [tag] = value };

    private static Gen<JsonNode?> Integer { get; } = Gen.Frequency(
        (4, Gen.Choose(-64, 64).Select(i => (JsonNode?)JsonValue.Create(i))),
        (3, Gen.Elements(
                63L, 64L, -64L, -65L, 8191L, 8192L, int.MaxValue, (long)int.MaxValue + 1, int.MinValue, (long)int.MinValue - 1,
                uint.MaxValue, 1L << 32, (1L << 53) - 1, -((1L << 53) - 1), 1L << 53, 1L << 40, 1_000_000_000_000L)
            .Select(l => (JsonNode?)JsonValue.Create(l))),
        (2, FsCheck.FSharp.Gen.Choose64(-(1L << 53), 1L << 53).Select(l => (JsonNode?)JsonValue.Create(l))));

    // Floats that lib0 writes as float32 (exactly representable) and as float64.
    private static Gen<JsonNode?> Float { get; } = Gen.Frequency(
        (3, Gen.Elements(
                0.5, -2.5, 0.1, -0.3, 1e300, 3.4028234663852886e38, 1.401298464324817e-45, 5e-324, 1.7976931348623157e308,
                123456.789, 16777217.0, 1e21, 2.5e-8, Math.PI)
            .Select(d => (JsonNode?)JsonValue.Create(d))),
        (2, from a in Gen.Choose(-1_000_000, 1_000_000)
            from b in Gen.Choose(1, 1_000_000)
            select (JsonNode?)JsonValue.Create(a / (double)b)),
        (1, Gen.Elements("NaN", "Infinity", "-Infinity", "-0").Select(s => Tag("$num", s))));

    private static Gen<JsonNode?> BigInt { get; } = Gen.Frequency(
            (1, Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, (1L << 53) + 1)),
            (2, FsCheck.FSharp.Gen.Choose64(-(1L << 62), 1L << 62)))
        .Select(l => Tag("$big", l.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static Gen<JsonNode?> Binary { get; } =
        from n in Gen.Choose(0, 10)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n)
        select Tag("$bin", System.Convert.ToBase64String(bytes));

    // A fresh node per sample: a JsonNode can have only one parent.
    private static Gen<JsonNode?> Undefined { get; } = Gen.Constant(1).Select(i => Tag("$undef", i));

    private static Gen<JsonNode?> Primitive { get; } = Gen.Frequency(
        (1, Gen.Constant<JsonNode?>(null)),
        (1, Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b))),
        (3, Integer),
        (2, Float),
        (3, Text(4).Select(s => (JsonNode?)JsonValue.Create(s))));

    /// <summary>Any lib0 <c>any</c> value, nested up to <paramref name="depth"/>.</summary>
    public static Gen<JsonNode?> Any(int depth)
    {
        var leaf = Gen.Frequency(
            (8, Primitive),
            (1, BigInt),
            (1, Undefined),
            (1, Binary));
        if (depth <= 0)
        {
            return leaf;
        }

        return Gen.Frequency(
            (6, leaf),
            (1, ArrayOf(Any(depth - 1))),
            (1, ObjectOf(Any(depth - 1))));
    }

    /// <summary>A top-level element of <c>Y.Array.insert</c> that becomes ContentAny: no <c>undefined</c> or BigInt at the top.</summary>
    public static Gen<JsonNode?> ArrayAny(int depth) => depth <= 0
        ? Primitive
        : Gen.Frequency((5, Primitive), (1, ArrayOf(Any(depth - 1))), (1, ObjectOf(Any(depth - 1))));

    /// <summary>Plain JSON (format attributes, embeds, ContentJSON): what <c>JSON.stringify</c> can write back.</summary>
    public static Gen<JsonNode?> Json(int depth)
    {
        var leaf = Gen.Frequency(
            (1, Gen.Constant<JsonNode?>(null)),
            (1, Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b))),
            (2, Integer),
            (1, Gen.Elements(0.5, 0.1, 1e21, -2.5e-8).Select(d => (JsonNode?)JsonValue.Create(d))),
            (3, Text(3).Select(s => (JsonNode?)JsonValue.Create(s))));
        if (depth <= 0)
        {
            return leaf;
        }

        return Gen.Frequency((5, leaf), (1, ArrayOf(Json(depth - 1))), (1, ObjectOf(Json(depth - 1))));
    }

    public static Gen<JsonNode?> ArrayOf(Gen<JsonNode?> element) =>
        from n in Gen.Choose(0, 4)
        from items in Gen.ArrayOf(element, n)
        select Tag("$arr", new JsonArray(items));

    public static Gen<JsonNode?> ObjectOf(Gen<JsonNode?> element) =>
        from n in Gen.Choose(0, 4)
        from entries in Gen.ArrayOf(Gen.Zip(Key, element), n)
        select Tag("$obj", ToObject(entries));

    /// <summary>A JSON object from entries; a repeated key keeps its last value, as in JavaScript.</summary>
    public static JsonObject ToObject(IEnumerable<(string Key, JsonNode? Value)> entries)
    {
        var o = new JsonObject();
        foreach (var (k, v) in entries)
        {
            o[k] = v;
        }

        return o;
    }
}
