using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// The tagged JSON values of history scripts (see oracle.mjs' header) as Collab values: the same JavaScript value
/// model that doc-oracle.mjs builds with <c>toValue</c>, <c>toType</c>, <c>toJson</c> and <c>toAttrs</c>.
/// </summary>
internal static class ScriptValues
{
    /// <summary>
    /// A value for a shared type's API. The API normalises the value and, recursively, lists (where a .NET
    /// <see cref="long"/> is a number and a <see cref="BigInteger"/> a BigInt), but takes a <see cref="JsObject"/> as
    /// already in the value model (where <see cref="long"/> is the BigInt). So a BigInt is a
    /// <see cref="BigInteger"/> where normalisation reaches it and a <see cref="long"/> below an object.
    /// </summary>
    public static object? ToValue(JsonNode? v) => ToValue(v, normalised: true);

    private static object? ToValue(JsonNode? v, bool normalised)
    {
        switch (v)
        {
            case null:
                return null;
            case JsonValue value:
                return Primitive(value);
            case JsonArray:
                throw new InvalidOperationException("untagged array in value: use {\"$arr\":[...]}");
        }

        var o = v.AsObject();
        if (o["$num"] is { } num)
        {
            return (string?)num switch
            {
                "NaN" => JsValue.CanonicalNaN, // the NaN JavaScript has; .NET's double.NaN has the sign bit set
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                "-0" => -0.0,
                var s => double.Parse(s!, CultureInfo.InvariantCulture),
            };
        }

        if (o.ContainsKey("$big"))
        {
            var big = BigInteger.Parse((string)o["$big"]!, CultureInfo.InvariantCulture);
            return normalised ? big : (object)(long)big;
        }

        if (o.ContainsKey("$undef"))
        {
            return Undefined.Value;
        }

        if (o.ContainsKey("$bin"))
        {
            return System.Convert.FromBase64String((string)o["$bin"]!);
        }

        if (o["$arr"] is JsonArray arr)
        {
            return arr.Select(x => ToValue(x, normalised)).ToList();
        }

        if (o["$obj"] is JsonObject obj)
        {
            var js = new JsObject();
            foreach (var (k, x) in obj)
            {
                js.Set(k, ToValue(x, normalised: false));
            }

            return js;
        }

        if (o["$doc"] is JsonObject d)
        {
            return new Doc(new DocOptions
            {
                Guid = (string)d["guid"]!,
                // JavaScript's `new Y.Doc({meta: undefined})` takes the default, null: no meta at all.
                Meta = d.ContainsKey("meta") && ToValue(d["meta"], normalised: false) is var meta and not Undefined ? meta : null,
                AutoLoad = d["autoLoad"] is { } a && (bool)a,
                Gc = d["gc"] is not { } gc || (bool)gc,
            });
        }

        if (o.ContainsKey("$type"))
        {
            return ToType(o);
        }

        throw new InvalidOperationException("unknown value tag " + o.ToJsonString());
    }

    private static object? Primitive(JsonValue value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => (string)value!,
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        System.Text.Json.JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException("bad value " + value.ToJsonString()),
    };

    public static AbstractType ToType(JsonNode? node)
    {
        var v = node!.AsObject();
        switch ((string?)v["$type"])
        {
            case "map":
            {
                var m = new YMap();
                SetEntries(m, v["init"]);
                return m;
            }

            case "array":
            {
                var a = new YArray();
                var items = (v["items"] as JsonArray ?? []).Select(ToValue).ToArray();
                if (items.Length > 0)
                {
                    a.Insert(0, items);
                }

                return a;
            }

            case "text":
                return new YText((string?)v["text"] ?? "");
            case "xmlText":
            {
                var t = new YXmlText();
                var s = (string?)v["text"] ?? "";
                if (s.Length > 0)
                {
                    t.Insert(0, s);
                }

                return t;
            }

            case "xmlHook":
            {
                var h = new YXmlHook((string)v["name"]!);
                SetEntries(h, v["init"]);
                return h;
            }

            case "xmlElement":
            {
                var e = new YXmlElement((string)v["name"]!);
                foreach (var (k, x) in v["attrs"] as JsonObject ?? [])
                {
                    e.SetAttribute(k, ToValue(x));
                }

                var children = (v["children"] as JsonArray ?? []).Select(ToType).ToArray();
                if (children.Length > 0)
                {
                    e.Insert(0, children);
                }

                return e;
            }

            case "xmlFragment":
            {
                var f = new YXmlFragment();
                var children = (v["children"] as JsonArray ?? []).Select(ToType).ToArray();
                if (children.Length > 0)
                {
                    f.Insert(0, children);
                }

                return f;
            }

            default:
                throw new InvalidOperationException("unknown type " + v.ToJsonString());
        }
    }

    private static void SetEntries(YMap map, JsonNode? init)
    {
        foreach (var entry in init as JsonArray ?? [])
        {
            var pair = entry!.AsArray();
            map.Set((string)pair[0]!, ToValue(pair[1]));
        }
    }

    /// <summary>Plain JSON (format attributes, embeds): tagged objects and arrays unwrapped, nothing else allowed.</summary>
    public static object? ToJson(JsonNode? v)
    {
        switch (v)
        {
            case null:
                return null;
            case JsonValue value:
                return Primitive(value);
            case JsonObject o when o["$arr"] is JsonArray arr:
                return arr.Select(ToJson).ToList();
            case JsonObject o when o["$obj"] is JsonObject obj:
            {
                var js = new JsObject();
                foreach (var (k, x) in obj)
                {
                    js.Set(k, ToJson(x));
                }

                return js;
            }

            default:
                throw new InvalidOperationException("only JSON is allowed here: " + v.ToJsonString());
        }
    }

    public static JsObject? ToAttrs(JsonNode? a)
    {
        if (a is null)
        {
            return null;
        }

        var o = new JsObject();
        foreach (var (k, x) in a.AsObject())
        {
            o.Set(k, ToJson(x));
        }

        return o;
    }
}
