using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary>
/// The <c>--types name:kind,...</c> schema of <c>collab update json</c>: which yjs type to read each root
/// as. An update does not record the kind of a root type; yjs learns it when code calls
/// <c>doc.getText(name)</c> and friends, and so does this command.
/// </summary>
internal static class RootKinds
{
    public const string Kinds = "text, map, array or xml";

    /// <summary>Parses the option; names keep the order given, which is the order of the output keys.</summary>
    public static List<(string Name, TypeRef Kind)> Parse(string spec)
    {
        var roots = new List<(string, TypeRef)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in spec.Split(','))
        {
            // A root name may itself contain ':'; the kind is after the last one.
            int colon = entry.LastIndexOf(':');
            if (colon < 0)
            {
                throw Usage($"'{entry}' has no kind. Write name:kind, with kind one of {Kinds}, e.g. --types text:text,meta:map.");
            }

            var name = entry[..colon];
            var kindName = entry[(colon + 1)..];
            TypeRef kind = kindName switch
            {
                "text" => TypeRef.Text,
                "map" => TypeRef.Map,
                "array" => TypeRef.Array,
                "xml" => TypeRef.XmlFragment,
                _ => throw Usage($"'{kindName}' in '{entry}' is not a kind; use {Kinds}."),
            };

            if (!seen.Add(name))
            {
                throw Usage($"the root '{name}' is named twice in --types; give each root one kind.");
            }

            roots.Add((name, kind));
        }

        return roots;
    }

    /// <summary>The root as yjs renders it: <c>toJSON()</c> for text, map and array, <c>toString()</c> for xml.</summary>
    public static object? Render(Doc doc, string name, TypeRef kind) => kind switch
    {
        TypeRef.Text => doc.GetText(name).ToJson(),
        TypeRef.Map => doc.GetMap(name).ToJson(),
        TypeRef.Array => doc.GetArray(name).ToJson(),
        _ => doc.GetXmlFragment(name).ToString(),
    };

    private static CliException Usage(string message) => new(ExitCodes.Usage, "--types: " + message);
}
