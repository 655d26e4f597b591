namespace Collab.Crdt;

/// <summary>
/// A document as one JSON object of its root types, byte for byte what <c>JSON.stringify</c> prints for the
/// same roots read through yjs (text, map, array: <c>toJSON()</c>; xml: <c>toString()</c>). An update does not
/// record the kind of a root type: yjs learns it when code calls <c>doc.getText(name)</c> and friends, so the
/// caller names the kinds (<see cref="TryParseKinds"/>) or they are inferred from the content.
/// </summary>
public static class DocJson
{
    /// <summary>The kind names a spec may use.</summary>
    public const string Kinds = "text, map, array or xml";

    /// <summary>
    /// Parses <c>name:kind,...</c> (kind one of <see cref="Kinds"/>); names keep the order given, which is the
    /// order of the output keys. A root name may itself contain ':': the kind is after the last one.
    /// </summary>
    public static bool TryParseKinds(string spec, out List<(string Name, TypeRef Kind)> roots, out string? error)
    {
        roots = [];
        error = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in spec.Split(','))
        {
            int colon = entry.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"'{entry}' has no kind. Write name:kind, with kind one of {Kinds}, e.g. text:text,meta:map.";
                return false;
            }

            var name = entry[..colon];
            var kindName = entry[(colon + 1)..];
            TypeRef? kind = kindName switch
            {
                "text" => TypeRef.Text,
                "map" => TypeRef.Map,
                "array" => TypeRef.Array,
                "xml" => TypeRef.XmlFragment,
                _ => null,
            };
            if (kind is null)
            {
                error = $"'{kindName}' in '{entry}' is not a kind; use {Kinds}.";
                return false;
            }

            if (!seen.Add(name))
            {
                error = $"the root '{name}' is named twice; give each root one kind.";
                return false;
            }

            roots.Add((name, kind.Value));
        }

        return true;
    }

    /// <summary>
    /// The roots of <paramref name="doc"/> as one object: those named in <paramref name="roots"/>, or without it
    /// every root with its kind inferred from its content, in the order yjs creates them while decoding (a root with
    /// no content at all renders as undefined in yjs and <c>JSON.stringify</c> leaves it out).
    /// </summary>
    public static JsObject Render(Doc doc, IReadOnlyList<(string Name, TypeRef Kind)>? roots = null)
    {
        var json = new JsObject();
        if (roots is null)
        {
            foreach (var (name, type) in doc.Share.ToArray())
            {
                if (TypeKinds.Infer(type) is { } kind)
                {
                    json.Set(name, RenderRoot(doc, name, kind));
                }
            }
        }
        else
        {
            foreach (var (name, kind) in roots)
            {
                json.Set(name, RenderRoot(doc, name, kind));
            }
        }

        return json;
    }

    /// <summary><see cref="Render"/> as JSON text.</summary>
    public static string Stringify(Doc doc, IReadOnlyList<(string Name, TypeRef Kind)>? roots = null) =>
        JsJson.Stringify(Render(doc, roots)) ?? "{}";

    /// <summary>The root as yjs renders it: <c>toJSON()</c> for text, map and array, <c>toString()</c> for xml.</summary>
    public static object? RenderRoot(Doc doc, string name, TypeRef kind) => kind switch
    {
        TypeRef.Text => doc.GetText(name).ToJson(),
        TypeRef.Map => doc.GetMap(name).ToJson(),
        TypeRef.Array => doc.GetArray(name).ToJson(),
        _ => doc.GetXmlFragment(name).ToString(),
    };
}
