using Collab.Cli.Trace;
using BenchmarkDotNet.Attributes;
using Collab.Crdt;

namespace Collab.Bench;

/// <summary>
/// The document model against yjs (bench/yjs/doc.mjs does the same in Node):
/// B4 = the automerge-paper trace replayed into a fresh document with client id 1, one transaction per
/// patch, with an <c>update</c> listener as a provider has (the dmonad crdt-benchmarks B4 procedure);
/// S1 = the Eg-walker S1 update (v2) applied to an empty document.
/// Each invocation takes hundreds of milliseconds, so fewer iterations than the update benchmarks.
/// </summary>
[WarmupCount(6)]
[IterationCount(9)]
public class DocBenchmarks
{
    private EditingTrace _b4 = null!;
    private byte[] _s1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _b4 = EditingTrace.Load(Path.Combine(BenchInputs.SharedTraces(), "sequential", "automerge-paper.json.gz"));
        _s1 = BenchInputs.Load("S1.v2").Update;

        // A wrong result would make the timings meaningless.
        if (ReplayB4(_b4).GetText("text").ToString() != _b4.EndContent)
        {
            throw new InvalidOperationException("B4 replay did not reach automerge-paper's endContent.");
        }
    }

    [Benchmark]
    public Doc B4Replay() => ReplayB4(_b4);

    [Benchmark]
    public Doc S1Apply()
    {
        var doc = new Doc();
        doc.ApplyUpdate(_s1, UpdateFormat.V2);
        return doc;
    }

    /// <summary>The B4 procedure; also what <see cref="MemoryProbe"/> measures the result of.</summary>
    internal static Doc ReplayB4(EditingTrace trace)
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var text = doc.GetText("text");
        long updateBytes = 0;
        doc.Update += e => updateBytes += e.Update.Length;

        var positions = trace.Positions;
        var deleted = trace.Deleted;
        var inserted = trace.Inserted;
        var starts = trace.TxnStarts;
        int txn = 0;
        Action<Transaction> applyTxn = _ =>
        {
            for (int p = starts[txn], end = starts[txn + 1]; p < end; p++)
            {
                if (deleted[p] > 0)
                {
                    text.Delete(positions[p], deleted[p]);
                }

                if (inserted[p].Length > 0)
                {
                    text.Insert(positions[p], inserted[p]);
                }
            }
        };

        for (; txn < starts.Length - 1; txn++)
        {
            doc.Transact(applyTxn);
        }

        return doc;
    }
}
