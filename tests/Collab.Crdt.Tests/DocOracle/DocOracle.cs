using System.Text.Json;
using System.Text.Json.Nodes;
using Collab.Crdt.Tests.Oracle;

namespace Collab.Crdt.Tests.DocOracle;

/// <summary>What one peer of a script holds at the end (the same fields from yjs and from Collab).</summary>
public sealed record DocPeerState(
    ulong Client,
    byte[] StateV1,
    byte[] StateV2,
    byte[] StateVector,
    IReadOnlyDictionary<string, string> Json,
    IReadOnlyDictionary<string, string> Dump);

/// <summary>One update event of a script run: which peer, in which step, local or received, and its bytes.</summary>
public sealed record DocUpdateEvent(int Peer, int Step, bool Local, byte[] V1, byte[] V2);

/// <summary>A whole script run: every update event in order, every peer's end state, and how many ops found no target.</summary>
public sealed record DocRun(IReadOnlyList<DocUpdateEvent> Updates, IReadOnlyList<DocPeerState> Peers, int Skipped);

/// <summary>
/// The document-model oracle: <c>tests/yjs-oracle/doc-oracle.mjs</c> (history scripts run in real yjs, with every
/// peer's JSON and structural dump), in the same kind of long-lived process as <see cref="YjsOracle"/>.
/// </summary>
public sealed class DocOracle
{
    private static readonly Lazy<DocOracle> SharedInstance = new(() => new DocOracle(YjsOracle.StartShared("doc-oracle.mjs")), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly YjsOracle _process;

    private DocOracle(YjsOracle process) => _process = process;

    /// <summary>The process shared by every test of the run, started on first use.</summary>
    public static DocOracle Shared => SharedInstance.Value;

    /// <summary>Runs a history script (see oracle.mjs for the format) in yjs.</summary>
    public DocRun Run(JsonObject script)
    {
        var result = _process.CallAsync("run", new JsonObject { ["script"] = script.DeepClone() }).GetAwaiter().GetResult();
        var updates = new List<DocUpdateEvent>();
        foreach (var u in result.GetProperty("updates").EnumerateArray())
        {
            updates.Add(new DocUpdateEvent(
                u.GetProperty("peer").GetInt32(),
                u.GetProperty("step").GetInt32(),
                u.GetProperty("local").GetBoolean(),
                Bytes(u.GetProperty("v1")),
                Bytes(u.GetProperty("v2"))));
        }

        var peers = new List<DocPeerState>();
        foreach (var p in result.GetProperty("peers").EnumerateArray())
        {
            peers.Add(new DocPeerState(
                p.GetProperty("client").GetUInt64(),
                Bytes(p.GetProperty("stateV1")),
                Bytes(p.GetProperty("stateV2")),
                Bytes(p.GetProperty("sv")),
                Strings(p.GetProperty("json")),
                Strings(p.GetProperty("dump"))));
        }

        return new DocRun(updates, peers, result.GetProperty("skipped").GetInt32());
    }

    private static byte[] Bytes(JsonElement e) => System.Convert.FromBase64String(e.GetString() ?? "");

    private static Dictionary<string, string> Strings(JsonElement o)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in o.EnumerateObject())
        {
            // A lone surrogate in a yjs string has no .NET string form; the raw JSON text still compares exactly.
            d[p.Name] = TryString(p.Value);
        }

        return d;
    }

    private static string TryString(JsonElement e)
    {
        try
        {
            return e.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "raw:" + e.GetRawText();
        }
    }
}
