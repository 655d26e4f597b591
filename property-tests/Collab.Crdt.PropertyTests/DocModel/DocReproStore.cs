using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collab.Crdt.Tests.Oracle;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// Failing scripts of the document-model differential test, saved under
/// <c>tests/Collab.Crdt.Tests/DocOracle/repros/</c> with what differed, for the engine's maintainers to replay.
/// </summary>
internal static class DocReproStore
{
    private static readonly JsonSerializerOptions FileOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Directory => Path.Combine(YjsOracle.RepositoryRoot, "tests", "Collab.Crdt.Tests", "DocOracle", "repros");

    /// <summary>Writes the repro (named after its first difference and a hash of the script) and returns the path.</summary>
    public static string Save(JsonObject script, IReadOnlyList<DocDifference> diffs, string context)
    {
        var scriptText = script.ToJsonString();
        var hash = System.Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(scriptText)))[..12].ToLowerInvariant();
        var category = diffs.Count > 0 ? diffs[0].Category : "unknown";
        var json = new JsonObject
        {
            ["context"] = context,
            ["differences"] = new JsonArray(diffs.Take(12).Select(d => (JsonNode)new JsonObject
            {
                ["category"] = d.Category,
                ["where"] = d.Where,
                ["yjs"] = d.Yjs,
                ["collab"] = d.Collab,
            }).ToArray()),
            ["script"] = script.DeepClone(),
        };
        var path = Path.Combine(Directory, $"doc-{category.Replace('.', '-')}-{hash}.json");
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(path, json.ToJsonString(FileOptions) + "\n");
        return path;
    }
}
