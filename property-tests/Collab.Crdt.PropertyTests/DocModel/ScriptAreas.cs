using System.Text.Json.Nodes;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// Areas of HistoryGen's scripts that the document-model test can leave out, so that the rest runs green while the
/// engine lacks one of them. <c>COLLAB_DOC_EXCLUDE</c> (comma-separated names) overrides <see cref="Default"/>;
/// "none" excludes nothing.
/// </summary>
[Flags]
internal enum ScriptAreas
{
    None = 0,

    /// <summary>Subdocuments (<c>$doc</c> values anywhere).</summary>
    Subdocs = 1,

    /// <summary>Legacy ContentJSON items (<c>arrayInsertJson</c>).</summary>
    ContentJson = 2,

    /// <summary>Text formatting (<c>textFormat</c>, and attributes on inserts and embeds).</summary>
    Formatting = 4,

    /// <summary>Text embeds (<c>textEmbed</c>).</summary>
    Embeds = 8,

    /// <summary>XML nodes and attributes (<c>xmlInsert</c>, <c>xmlDelete</c>, <c>setAttr</c>, <c>removeAttr</c>, XML types as values).</summary>
    Xml = 16,

    /// <summary>
    /// Not an edit but a check: the JSON of roots that hold a subdocument. yjs' JSON.stringify calls
    /// <c>Doc.toJSON</c> (giving the subdocument's roots), Collab's JsJson.Stringify throws on a Doc. The structural
    /// dump and the bytes of such roots are still compared.
    /// </summary>
    SubdocJson = 32,

    /// <summary>
    /// Formatting attributes whose value is not an object (strings, numbers, arrays, booleans): each becomes
    /// <c>{"v": value}</c>. yjs' <c>XmlText.toString</c> renders such a value with <c>for...in</c> (a string's
    /// characters as attributes 0, 1, ...); Collab's renders none.
    /// </summary>
    NonObjectFormats = 64,
}

internal static class ScriptFilter
{
    /// <summary>What is left out when <c>COLLAB_DOC_EXCLUDE</c> is not set.</summary>
    public const ScriptAreas Default = ScriptAreas.None;

    public static ScriptAreas FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("COLLAB_DOC_EXCLUDE");
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var areas = ScriptAreas.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!Enum.TryParse<ScriptAreas>(part, ignoreCase: true, out var area))
            {
                throw new InvalidOperationException(
                    $"COLLAB_DOC_EXCLUDE: unknown area '{part}'; use {string.Join(", ", Enum.GetNames<ScriptAreas>())}.");
            }

            areas |= area;
        }

        return areas;
    }

    /// <summary>The script without the ops (and values) of the excluded areas; steps left empty are dropped.</summary>
    public static JsonObject Apply(JsonObject script, ScriptAreas excluded)
    {
        if (excluded == ScriptAreas.None)
        {
            return script;
        }

        var result = (JsonObject)script.DeepClone();
        var steps = new JsonArray();
        foreach (var stepNode in result["steps"]!.AsArray())
        {
            var step = stepNode!.AsObject();
            if ((string?)step["kind"] == "txn")
            {
                var ops = new JsonArray();
                foreach (var op in step["ops"]!.AsArray())
                {
                    if (Keep(op!.AsObject(), excluded))
                    {
                        ops.Add(op.DeepClone());
                    }
                }

                if (ops.Count == 0)
                {
                    continue;
                }

                step["ops"] = ops;
            }

            steps.Add(step.DeepClone());
        }

        result["steps"] = steps;
        return result;
    }

    private static bool Keep(JsonObject op, ScriptAreas excluded)
    {
        var name = (string?)op["op"];
        if (excluded.HasFlag(ScriptAreas.ContentJson) && name == "arrayInsertJson")
        {
            return false;
        }

        if (excluded.HasFlag(ScriptAreas.Embeds) && name == "textEmbed")
        {
            return false;
        }

        if (excluded.HasFlag(ScriptAreas.Formatting))
        {
            if (name == "textFormat")
            {
                return false;
            }

            op.Remove("attrs");
        }
        else if (excluded.HasFlag(ScriptAreas.NonObjectFormats) && op["attrs"] is JsonObject attrs)
        {
            foreach (var key in attrs.Select(kv => kv.Key).ToList())
            {
                if (attrs[key] is { } value && !(value is JsonObject o && o.ContainsKey("$obj")))
                {
                    attrs[key] = new JsonObject { ["$obj"] = new JsonObject { ["v"] = value.DeepClone() } };
                }
            }
        }

        if (excluded.HasFlag(ScriptAreas.Xml) &&
            (name is "xmlInsert" or "xmlDelete" or "setAttr" or "removeAttr" || Contains(op, "$type", "xmlElement", "xmlText", "xmlFragment", "xmlHook")))
        {
            return false;
        }

        return !(excluded.HasFlag(ScriptAreas.Subdocs) && Contains(op, "$doc", null));
    }

    /// <summary>Whether a tag key occurs anywhere in the node (with one of the given values, when any are given).</summary>
    private static bool Contains(JsonNode? node, string key, params string?[]? values)
    {
        switch (node)
        {
            case JsonObject o:
                if (o[key] is { } v && (values is null || values.Length == 0 || values[0] is null || values.Contains((string?)(v as JsonValue))))
                {
                    return true;
                }

                return o.Any(kv => Contains(kv.Value, key, values));
            case JsonArray a:
                return a.Any(x => Contains(x, key, values));
            default:
                return false;
        }
    }
}
