using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collab.Crdt.Tests.Oracle;

/// <summary>A saved disagreement between Collab and yjs: the call, what yjs answered, what Collab answered.</summary>
public sealed record Repro(UpdateOp Op, UpdateOutcome Yjs, UpdateOutcome Collab, string Context);

/// <summary>
/// The files under <c>tests/Collab.Crdt.Tests/Oracle/repros/</c>. Property tests write one per disagreement they
/// find; <see cref="ReproReplayTests"/> replays them all, so a fixed bug stays fixed without the oracle.
/// </summary>
public static class ReproStore
{
    private static readonly object WriteLock = new();

    // Readable files: base64 '+' and the quotes of the context stay as they are.
    private static readonly JsonSerializerOptions FileOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Directory => Path.Combine(YjsOracle.RepositoryRoot, "tests", "Collab.Crdt.Tests", "Oracle", "repros");

    /// <summary>Writes the repro (named after its op and a hash of its inputs, so a rediscovery overwrites it) and returns the path.</summary>
    public static string Save(Repro repro)
    {
        var json = new JsonObject
        {
            ["op"] = repro.Op.ToJson(),
            ["yjs"] = repro.Yjs.ToJson(),
            ["collab"] = repro.Collab.ToJson(),
            ["context"] = repro.Context,
        };
        var opJson = repro.Op.ToJson().ToJsonString();
        var digest = System.Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(opJson)));
        var hash = digest.Substring(0, 12).ToLowerInvariant();
        var name = $"{repro.Op.Kind}-{repro.Op.Format}-{hash}.json".ToLowerInvariant();
        var path = Path.Combine(Directory, name);
        lock (WriteLock)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, json.ToJsonString(FileOptions) + "\n");
        }

        return path;
    }

    public static IEnumerable<(string Path, Repro Repro)> LoadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            yield return (path, new Repro(
                UpdateOp.FromJson(json["op"]!.AsObject()),
                UpdateOutcome.FromJson(json["yjs"]!.AsObject()),
                UpdateOutcome.FromJson(json["collab"]!.AsObject()),
                (string?)json["context"] ?? ""));
        }
    }
}
