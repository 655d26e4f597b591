using Collab.Crdt;

namespace Collab.Server.Documents;

/// <summary>The one update that makes a document equal to a named snapshot's content, as new operations (history is kept).</summary>
internal static class SnapshotRestore
{
    private static readonly byte[] EmptyUpdate = [0, 0];

    /// <summary>
    /// Builds the document from <paramref name="current"/>, makes it equal to <paramref name="snapshot"/> in one
    /// transaction and returns that transaction's update; the empty update when they are equal already (stored all
    /// the same, so the history records the restore).
    /// </summary>
    public static byte[] Compute(byte[] current, byte[] snapshot, DecoderLimits limits)
    {
        var live = new Doc();
        live.ApplyUpdate(current, UpdateFormat.V1, origin: null, limits);
        var source = new Doc();
        source.ApplyUpdate(snapshot, UpdateFormat.V1, origin: null, limits);
        var produced = new List<byte[]>();
        live.Update += e => produced.Add(e.Update);
        DocRestore.MakeEqual(live, source);
        return produced.Count switch
        {
            0 => EmptyUpdate,
            1 => produced[0],
            _ => Updates.Merge(produced, UpdateFormat.V1, limits),
        };
    }
}
