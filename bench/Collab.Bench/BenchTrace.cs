using System.IO.Compression;
using System.Text.Json;

namespace Collab.Bench;

/// <summary>
/// An editing trace from <c>shared/traces/sequential</c> in flat arrays, so a timed replay reads no JSON.
/// The same loading as <c>collab trace replay</c>; bench/yjs/doc.mjs replays the same file the same way.
/// </summary>
internal sealed class BenchTrace
{
    private BenchTrace(string endContent, int[] txnStarts, int[] positions, int[] deleted, string[] inserted)
    {
        EndContent = endContent;
        TxnStarts = txnStarts;
        Positions = positions;
        Deleted = deleted;
        Inserted = inserted;
    }

    public string EndContent { get; }

    /// <summary>Each transaction's first patch, then the patch count.</summary>
    public int[] TxnStarts { get; }

    public int[] Positions { get; }

    public int[] Deleted { get; }

    public string[] Inserted { get; }

    public static BenchTrace Load(string name)
    {
        var path = Path.Combine(BenchInputs.SharedTraces(), "sequential", name + ".json.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var json = JsonDocument.Parse(gzip);
        var starts = new List<int>();
        var positions = new List<int>();
        var deleted = new List<int>();
        var inserted = new List<string>();
        foreach (var txn in json.RootElement.GetProperty("txns").EnumerateArray())
        {
            starts.Add(positions.Count);
            foreach (var patch in txn.GetProperty("patches").EnumerateArray())
            {
                positions.Add(patch[0].GetInt32());
                deleted.Add(patch[1].GetInt32());
                inserted.Add(patch[2].GetString()!);
            }
        }

        starts.Add(positions.Count);
        return new BenchTrace(json.RootElement.GetProperty("endContent").GetString()!, [.. starts], [.. positions], [.. deleted], [.. inserted]);
    }
}
