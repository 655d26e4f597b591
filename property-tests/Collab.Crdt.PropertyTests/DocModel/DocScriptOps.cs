using System.Text.Json.Nodes;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// One op of a history script on a Collab document: the target is picked from every shared type reachable from the
/// roots, in the order doc-oracle.mjs' <c>collectTypes</c> visits them, and positions are reduced modulo what exists.
/// </summary>
internal static class DocScriptOps
{
    /// <summary>Every shared type reachable from the roots, depth first (maps by sorted key, lists and text deltas in order).</summary>
    public static List<AbstractType> CollectTypes(Doc doc)
    {
        var output = new List<AbstractType>();
        foreach (var (kind, name) in DocScriptRunner.Roots)
        {
            Visit(DocScriptRunner.Root(doc, kind, name), output);
        }

        return output;
    }

    private static void Visit(AbstractType type, List<AbstractType> output)
    {
        output.Add(type);
        IEnumerable<object?> kids = type switch
        {
            YMap map => map.Map.Keys.Order(StringComparer.Ordinal).Select(map.Get).ToList(),
            YArray array => array.ToArray(),
            YXmlFragment fragment => fragment.ToArray(),
            YText text => text.ToDelta().Select(d => d.Insert![0]).ToList(),
            _ => [],
        };
        foreach (var kid in kids)
        {
            if (kid is AbstractType t)
            {
                Visit(t, output);
            }
        }
    }

    private static bool IsKind(string kind, AbstractType t) => kind switch
    {
        "map" => t is YMap,
        "array" => t is YArray,
        "text" => t is YText,
        "xml" => t is YXmlFragment,
        "attr" => t is YXmlElement or YText,
        _ => false,
    };

    private static string KindOf(string op) => op switch
    {
        "mapSet" or "mapDelete" => "map",
        "arrayInsert" or "arrayPush" or "arrayDelete" or "arrayInsertJson" => "array",
        "textInsert" or "textDelete" or "textFormat" or "textEmbed" => "text",
        "xmlInsert" or "xmlDelete" => "xml",
        "setAttr" or "removeAttr" => "attr",
        _ => throw new InvalidOperationException("unknown op " + op),
    };

    /// <summary>A non-negative script integer, whatever CLR type its JsonValue holds.</summary>
    public static long Nat(JsonNode? x) => long.Parse(x!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static (long Index, long Length)? Range(long length, JsonNode? pos, JsonNode? len)
    {
        if (length == 0)
        {
            return null;
        }

        long p = Nat(pos) % length;
        return (p, 1 + (Nat(len) % (length - p)));
    }

    private static object?[] Values(JsonNode? items) => items!.AsArray().Select(ScriptValues.ToValue).ToArray();

    /// <summary>Applies the op; false when no type of its kind exists (or the range is empty), as in yjs.</summary>
    public static bool Apply(Doc doc, Transaction tr, JsonObject op)
    {
        var name = (string)op["op"]!;
        var kind = KindOf(name);
        var candidates = CollectTypes(doc).Where(t => IsKind(kind, t)).ToList();
        if (candidates.Count == 0)
        {
            return false;
        }

        var target = candidates[(int)(Nat(op["t"]) % candidates.Count)];
        switch (name)
        {
            case "mapSet":
                ((YMap)target).Set((string)op["key"]!, ScriptValues.ToValue(op["value"]));
                break;
            case "mapDelete":
                ((YMap)target).Delete((string)op["key"]!);
                break;
            case "arrayInsert":
            {
                var a = (YArray)target;
                a.Insert(Nat(op["pos"]) % (a.Length + 1), Values(op["items"]));
                break;
            }

            case "arrayPush":
                ((YArray)target).Push(Values(op["items"]));
                break;
            case "arrayDelete":
            {
                var a = (YArray)target;
                if (Range(a.Length, op["pos"], op["len"]) is not { } r)
                {
                    return false;
                }

                a.Delete(r.Index, r.Length);
                break;
            }

            case "arrayInsertJson":
                InsertJsonContent(tr, target, Nat(op["pos"]), Values(op["items"]));
                break;
            case "textInsert":
            {
                var t = (YText)target;
                t.Insert(Nat(op["pos"]) % (t.Length + 1), (string)op["text"]!, ScriptValues.ToAttrs(op["attrs"]));
                break;
            }

            case "textDelete":
            {
                var t = (YText)target;
                if (Range(t.Length, op["pos"], op["len"]) is not { } r)
                {
                    return false;
                }

                t.Delete(r.Index, r.Length);
                break;
            }

            case "textFormat":
            {
                var t = (YText)target;
                if (Range(t.Length, op["pos"], op["len"]) is not { } r)
                {
                    return false;
                }

                t.Format(r.Index, r.Length, ScriptValues.ToAttrs(op["attrs"])!);
                break;
            }

            case "textEmbed":
            {
                var t = (YText)target;
                var e = op["embed"];
                object embed = e is JsonObject o && o.ContainsKey("$type") ? ScriptValues.ToType(e) : ScriptValues.ToJson(e)!;
                t.InsertEmbed(Nat(op["pos"]) % (t.Length + 1), embed, ScriptValues.ToAttrs(op["attrs"]));
                break;
            }

            case "xmlInsert":
            {
                var x = (YXmlFragment)target;
                x.Insert(Nat(op["pos"]) % (x.Length + 1), op["nodes"]!.AsArray().Select(ScriptValues.ToType).ToArray());
                break;
            }

            case "xmlDelete":
            {
                var x = (YXmlFragment)target;
                if (Range(x.Length, op["pos"], op["len"]) is not { } r)
                {
                    return false;
                }

                x.Delete(r.Index, r.Length);
                break;
            }

            case "setAttr":
                if (target is YXmlElement element)
                {
                    element.SetAttribute((string)op["key"]!, ScriptValues.ToValue(op["value"]));
                }
                else
                {
                    // Y.Text#setAttribute: the text's map part; Collab's YText has no public API for it.
                    target.MapSet(tr, (string)op["key"]!, ScriptValues.ToValue(op["value"]));
                }

                break;
            case "removeAttr":
                if (target is YXmlElement el)
                {
                    el.RemoveAttribute((string)op["key"]!);
                }
                else
                {
                    target.MapDelete(tr, (string)op["key"]!);
                }

                break;
        }

        return true;
    }

    /// <summary>
    /// An Item with ContentJSON (ref 2), which no public API creates: after a random item of the list (deleted ones
    /// included) or at the start, as oracle.mjs' <c>insertJsonContent</c> does.
    /// </summary>
    private static void InsertJsonContent(Transaction tr, AbstractType parent, long r, object?[] items)
    {
        var lefts = new List<Item?> { null };
        for (var n = parent.Start; n is not null; n = n.Right)
        {
            lefts.Add(n);
        }

        var left = lefts[(int)(r % lefts.Count)];
        var right = left is null ? parent.Start : left.Right;
        var doc = tr.Doc;
        var id = new Id(doc.ClientId, doc.Store.GetState(doc.ClientId));
        var item = new Item(id, left, left?.LastId, right, right?.Id, parent, null, new ContentJson([.. items]));
        item.Integrate(tr, 0);
        parent.SearchMarkers?.Clear();
    }
}
