using System.Diagnostics;
using Collab.Crdt;

namespace Collab.Cli.Trace;

/// <summary>
/// Replays an <see cref="EditingTrace"/> into a fresh document as a live editor would: one transaction per
/// trace transaction on the root text <c>"text"</c>, with an update listener that receives each
/// transaction's encoded update, as a provider sending it to the server does.
/// </summary>
internal sealed class TraceReplay
{
    private long _updateBytes;

    private TraceReplay(Doc doc) => Doc = doc;

    public Doc Doc { get; }

    /// <summary>The sum of the sizes of the per-transaction updates the listener received.</summary>
    public long UpdateBytes => _updateBytes;

    /// <summary>Wall time of the replay alone: the trace is already parsed, the document already created.</summary>
    public TimeSpan Elapsed { get; private set; }

    public static TraceReplay Run(EditingTrace trace, ulong? clientId, UpdateFormat listenFormat)
    {
        var replay = new TraceReplay(new Doc(new DocOptions { ClientId = clientId }));
        var doc = replay.Doc;
        var text = doc.GetText("text");
        if (listenFormat == UpdateFormat.V2)
        {
            doc.UpdateV2 += e => replay._updateBytes += e.Update.Length;
        }
        else
        {
            doc.Update += e => replay._updateBytes += e.Update.Length;
        }

        var positions = trace.Positions;
        var deleted = trace.Deleted;
        var inserted = trace.Inserted;
        var starts = trace.TxnStarts;
        int txn = 0;

        // One delegate for every transaction: it reads the current transaction's index from the captured local.
        Action<Transaction> applyTxn = _ =>
        {
            for (int p = starts[txn], end = starts[txn + 1]; p < end; p++)
            {
                if ((long)positions[p] + deleted[p] > text.Length)
                {
                    throw OutOfRange(trace, txn, p, text.Length);
                }

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

        var stopwatch = Stopwatch.StartNew();
        for (; txn < trace.TxnCount; txn++)
        {
            doc.Transact(applyTxn);
        }

        replay.Elapsed = stopwatch.Elapsed;
        return replay;
    }

    private static CliException OutOfRange(EditingTrace trace, int txn, int patch, long length) =>
        new(ExitCodes.BadInput,
            $"the trace does not fit its own document: txns[{txn}].patches[{patch - trace.TxnStarts[txn]}] edits at " +
            $"{trace.Positions[patch]}..{(long)trace.Positions[patch] + trace.Deleted[patch]}, but the text is {length} long at that point. " +
            "Is its startContent empty, and are the patches in order?");
}
