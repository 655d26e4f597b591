using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Collab.Crdt.PropertyTests.Generators;

/// <summary>A generated multi-peer editing script (the format is documented in tests/yjs-oracle/oracle.mjs).</summary>
internal sealed record HistoryScript(JsonObject Json)
{
    public override string ToString() => Json.ToJsonString();
}

/// <summary>
/// Random yjs histories: 1–4 peers with fixed client ids (some above 2^32, up to 2^53−1; some with gc off),
/// transactions over every shared type and content kind, and deliveries between peers in random order, with
/// duplicates and gaps. Positions and targets are plain random numbers that the oracle reduces modulo what exists,
/// so the generator needs no model of the document.
/// </summary>
internal static class HistoryGen
{
    private static readonly string[] NodeNames = ["p", "div", "h1", "ü-tag", "x:y"];
    private static readonly string[] HookNames = ["hook", "картинка", "h"];
    private static readonly string[] AttrKeys = ["bold", "italic", "href", "颜色", "b"];
    private static readonly string[] SubdocGuids = ["sub-1", "sub-2", "子文書", "00000000-0000-4000-8000-000000000000"];

    private static Gen<JsonNode?> Int(int max) => Gen.Choose(0, max).Select(i => (JsonNode?)JsonValue.Create(i));

    // Ids around varint byte boundaries, around 2^31/2^32 (JavaScript bit operations break there) and up to 2^53-1.
    private static Gen<ulong> ClientId { get; } = Gen.Frequency(
        (3, Gen.Elements<ulong>(
            0, 1, 2, 3, 127, 128, 255, 256, 16383, 16384, int.MaxValue, 1UL << 31, uint.MaxValue, 1UL << 32,
            (1UL << 32) + 1, (1UL << 40) + 7, (1UL << 53) - 2, (1UL << 53) - 1)),
        (2, Gen.Choose(0, int.MaxValue).Select(i => (ulong)i)),
        (2, FsCheck.FSharp.Gen.Choose64(0, (1L << 53) - 1).Select(l => (ulong)l)));

    private static Gen<JsonObject> Peers(int count) =>
        from ids in Gen.ArrayOf(ClientId, count).Where(ids => ids.Distinct().Count() == ids.Length)
        from gcs in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false))), count)
        select new JsonObject { ["peers"] = new JsonArray(ids.Select((id, i) => (JsonNode)new JsonObject { ["client"] = id, ["gc"] = gcs[i] }).ToArray()) };

    private static Gen<JsonNode?> Subdoc { get; } =
        from guid in Gen.Frequency(
            (3, Gen.Elements(SubdocGuids)),
            (1, Gen.Choose(0, int.MaxValue).Select(i => "doc-" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))))
        from hasMeta in Gen.Elements(true, false)
        from meta in ValueGen.Any(1)
        from autoLoad in Gen.Elements(true, false)
        from gc in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        select (JsonNode?)new JsonObject { ["$doc"] = DocOptions(guid, hasMeta, meta, autoLoad, gc) };

    private static JsonObject DocOptions(string guid, bool hasMeta, JsonNode? meta, bool autoLoad, bool gc)
    {
        var o = new JsonObject { ["guid"] = guid, ["autoLoad"] = autoLoad, ["gc"] = gc };
        if (hasMeta)
        {
            o["meta"] = meta;
        }

        return o;
    }

    /// <summary>A preliminary shared type (integrated together with its content when inserted).</summary>
    private static Gen<JsonNode?> SharedType(int depth)
    {
        var text = ValueGen.Text(3).Select(s => (JsonNode?)new JsonObject { ["$type"] = "text", ["text"] = s });
        var xmlText = ValueGen.Text(3).Select(s => (JsonNode?)new JsonObject { ["$type"] = "xmlText", ["text"] = s });
        var map =
            from n in Gen.Choose(0, 3)
            from entries in Gen.ArrayOf(Gen.Zip(ValueGen.Key, MapValue(depth - 1)), n)
            select (JsonNode?)new JsonObject { ["$type"] = "map", ["init"] = Entries(entries) };
        var array =
            from items in ArrayItems(depth - 1, 3)
            select (JsonNode?)new JsonObject { ["$type"] = "array", ["items"] = items };
        var hook =
            from name in Gen.Elements(HookNames)
            from n in Gen.Choose(0, 2)
            from entries in Gen.ArrayOf(Gen.Zip(ValueGen.Key, ValueGen.Any(1)), n)
            select (JsonNode?)new JsonObject { ["$type"] = "xmlHook", ["name"] = name, ["init"] = Entries(entries) };
        var element = XmlElement(depth);
        var fragment =
            from children in XmlChildren(depth - 1)
            select (JsonNode?)new JsonObject { ["$type"] = "xmlFragment", ["children"] = children };
        return depth <= 0
            ? Gen.OneOf(text, xmlText, Gen.Constant(0).Select(_ => (JsonNode?)new JsonObject { ["$type"] = "map" }))
            : Gen.Frequency((2, text), (2, map), (2, array), (1, xmlText), (1, hook), (1, element), (1, fragment));
    }

    private static Gen<JsonNode?> XmlElement(int depth) =>
        from name in Gen.Elements(NodeNames)
        from attrs in XmlAttributes
        from children in depth <= 0 ? Gen.Constant(0).Select(_ => new JsonArray()) : XmlChildren(depth - 1)
        select (JsonNode?)new JsonObject { ["$type"] = "xmlElement", ["name"] = name, ["attrs"] = attrs, ["children"] = children };

    // Declared before its users: static initializers run in textual order.
    private static Gen<JsonNode?> AttributeValue { get; } = Gen.Frequency(
        (4, ValueGen.Text(3).Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, ValueGen.Any(1)));

    private static Gen<JsonObject> XmlAttributes { get; } =
        from n in Gen.Choose(0, 2)
        from entries in Gen.ArrayOf(Gen.Zip(Gen.Elements(AttrKeys), AttributeValue), n)
        select ValueGen.ToObject(entries);

    private static Gen<JsonNode?> XmlNode(int depth)
    {
        var xmlText = ValueGen.Text(3).Select(s => (JsonNode?)new JsonObject { ["$type"] = "xmlText", ["text"] = s });
        var hook =
            from name in Gen.Elements(HookNames)
            from v in ValueGen.Any(1)
            select (JsonNode?)new JsonObject { ["$type"] = "xmlHook", ["name"] = name, ["init"] = new JsonArray(new JsonArray("v", v)) };
        return Gen.Frequency((3, XmlElement(depth)), (3, xmlText), (1, hook));
    }

    private static Gen<JsonArray> XmlChildren(int depth) =>
        from n in Gen.Choose(0, depth < 0 ? 0 : 2)
        from nodes in Gen.ArrayOf(XmlNode(Math.Max(depth, 0)), n)
        select new JsonArray(nodes);

    /// <summary>A value for <c>Y.Map.set</c>: ContentAny (any kind, also undefined and BigInt), ContentBinary, ContentType or ContentDoc.</summary>
    private static Gen<JsonNode?> MapValue(int depth) => Gen.Frequency(
        (8, ValueGen.Any(2)),
        (2, ValueGen.Binary),
        (depth > 0 ? 3 : 1, SharedType(depth)),
        (1, Subdoc));

    /// <summary>Items for <c>Y.Array.insert</c>: runs of JSON-like values become one ContentAny, the rest one item each.</summary>
    private static Gen<JsonArray> ArrayItems(int depth, int max) =>
        from n in Gen.Choose(1, max)
        from items in Gen.ArrayOf(Gen.Frequency(
            (8, ValueGen.ArrayAny(2)),
            (2, ValueGen.Binary),
            (depth > 0 ? 2 : 1, SharedType(depth)),
            (1, Subdoc)), n)
        select new JsonArray(items);

    private static Gen<JsonNode?> FormatAttributes { get; } =
        from n in Gen.Choose(1, 2)
        from entries in Gen.ArrayOf(Gen.Zip(Gen.Elements(AttrKeys), Gen.Frequency((3, ValueGen.Json(1)), (1, Gen.Constant<JsonNode?>(null)))), n)
        select (JsonNode?)ValueGen.ToObject(entries);

    private static Gen<JsonNode?> MaybeAttributes { get; } =
        Gen.Frequency((3, Gen.Constant<JsonNode?>(null)), (1, FormatAttributes));

    private static Gen<JsonNode?> Embed { get; } = Gen.Frequency(
        (3, ValueGen.ObjectOf(ValueGen.Json(1))),
        (1, ValueGen.ArrayOf(ValueGen.Json(1))),
        (1, Gen.Choose(-5, 5).Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, SharedType(1)));

    private static Gen<JsonNode?> ContentJsonItem { get; } = Gen.Frequency(
        (5, ValueGen.Json(2)),
        (1, Gen.Constant(1).Select(i => (JsonNode?)new JsonObject { ["$undef"] = i })));

    private static JsonObject Op(string op, params (string Key, JsonNode? Value)[] fields)
    {
        var o = new JsonObject { ["op"] = op };
        foreach (var (k, v) in fields)
        {
            o[k] = v;
        }

        return o;
    }

    private static Gen<JsonObject> Edit { get; } = Gen.Frequency(
        (4, from t in Int(20) from key in ValueGen.Key from v in MapValue(2) select Op("mapSet", ("t", t), ("key", key), ("value", v))),
        (2, from t in Int(20) from key in ValueGen.Key select Op("mapDelete", ("t", t), ("key", key))),
        (4, from t in Int(20) from pos in Int(1000) from items in ArrayItems(2, 4) select Op("arrayInsert", ("t", t), ("pos", pos), ("items", items))),
        (1, from t in Int(20) from items in ArrayItems(1, 3) select Op("arrayPush", ("t", t), ("items", items))),
        (3, from t in Int(20) from pos in Int(1000) from len in Int(6) select Op("arrayDelete", ("t", t), ("pos", pos), ("len", len))),
        (1, from t in Int(20) from pos in Int(1000) from n in Gen.Choose(1, 3) from items in Gen.ArrayOf(ContentJsonItem, n)
            select Op("arrayInsertJson", ("t", t), ("pos", pos), ("items", new JsonArray(items)))),
        (6, from t in Int(20) from pos in Int(1000) from text in ValueGen.NonEmptyText(5) from attrs in MaybeAttributes
            select Op("textInsert", ("t", t), ("pos", pos), ("text", text), ("attrs", attrs))),
        (3, from t in Int(20) from pos in Int(1000) from len in Int(8) select Op("textDelete", ("t", t), ("pos", pos), ("len", len))),
        (2, from t in Int(20) from pos in Int(1000) from len in Int(8) from attrs in FormatAttributes
            select Op("textFormat", ("t", t), ("pos", pos), ("len", len), ("attrs", attrs))),
        (1, from t in Int(20) from pos in Int(1000) from embed in Embed from attrs in MaybeAttributes
            select Op("textEmbed", ("t", t), ("pos", pos), ("embed", embed), ("attrs", attrs))),
        (2, from t in Int(20) from pos in Int(1000) from n in Gen.Choose(1, 3) from nodes in Gen.ArrayOf(XmlNode(1), n)
            select Op("xmlInsert", ("t", t), ("pos", pos), ("nodes", new JsonArray(nodes)))),
        (1, from t in Int(20) from pos in Int(1000) from len in Int(3) select Op("xmlDelete", ("t", t), ("pos", pos), ("len", len))),
        (1, from t in Int(20) from key in Gen.Elements(AttrKeys) from v in AttributeValue select Op("setAttr", ("t", t), ("key", key), ("value", v))),
        (1, from t in Int(20) from key in Gen.Elements(AttrKeys) select Op("removeAttr", ("t", t), ("key", key))));

    private static readonly string[] DeliverModes = ["each", "each", "eachV2", "merged", "mergedV2", "diff", "diffV2"];

    private static Gen<JsonObject> Step(int peers) => Gen.Frequency(
        (6, from peer in Gen.Choose(0, peers - 1)
            from n in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 4)))
            from ops in Gen.ArrayOf(Edit, n)
            select new JsonObject { ["kind"] = "txn", ["peer"] = peer, ["ops"] = new JsonArray(ops) }),
        (3, from src in Gen.Choose(0, peers - 1)
            from dst in Gen.Choose(0, peers - 1)
            from n in Gen.Choose(1, 6)
            from picks in Gen.ArrayOf(Int(1000), n)
            from mode in Gen.Elements(DeliverModes)
            select new JsonObject { ["kind"] = "deliver", ["from"] = src, ["to"] = dst, ["picks"] = new JsonArray(picks), ["mode"] = mode }),
        (1, from src in Gen.Choose(0, peers - 1)
            from dst in Gen.Choose(0, peers - 1)
            from v2 in Gen.Elements(true, false)
            select new JsonObject { ["kind"] = "state", ["from"] = src, ["to"] = dst, ["v2"] = v2 }));

    /// <summary>A whole script; FsCheck's size (0–100) bounds the number of steps.</summary>
    public static Gen<HistoryScript> Script { get; } = Gen.Sized(size =>
        from peerCount in Gen.Frequency((1, Gen.Constant(1)), (3, Gen.Constant(2)), (3, Gen.Constant(3)), (1, Gen.Constant(4)))
        from peers in Peers(peerCount)
        from stepCount in Gen.Choose(1, Math.Max(2, 2 + (size / 4)))
        from steps in Gen.ArrayOf(Step(peerCount), stepCount)
        from finalSync in Gen.Elements(true, false)
        select new HistoryScript(new JsonObject
        {
            ["peers"] = peers["peers"]!.DeepClone(),
            ["steps"] = new JsonArray(steps),
            ["finalSync"] = finalSync,
        }));

    private static JsonArray Entries((string Key, JsonNode? Value)[] entries)
        => new(entries.Select(e => (JsonNode?)new JsonArray(e.Key, e.Value)).ToArray());
}
