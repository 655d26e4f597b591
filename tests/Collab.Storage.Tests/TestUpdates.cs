namespace Collab.Storage.Tests;

/// <summary>
/// A model of a document for storage tests: each update carries a unique id in its first 8 bytes, and a snapshot
/// is the list of ids it folds in. "Every committed update survived" then reads as "these ids are all there once".
/// </summary>
internal static class TestUpdates
{
    public static UpdateRecord Update(long id, int size = 32, string? origin = "test") =>
        new(Payload(id, size), origin, DateTimeOffset.UtcNow);

    public static UpdateRecord[] Batch(long firstId, int count, int size = 32) =>
        Enumerable.Range(0, count).Select(i => Update(firstId + i, size)).ToArray();

    public static byte[] Payload(long id, int size)
    {
        var bytes = new byte[Math.Max(size, 8)];
        BitConverter.TryWriteBytes(bytes, id);
        for (var i = 8; i < bytes.Length; i++) bytes[i] = (byte)(id * 31 + i);
        return bytes;
    }

    public static long IdOf(byte[] payload) => BitConverter.ToInt64(payload, 0);

    public static byte[] Snapshot(IEnumerable<long> ids) => ids.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>The ids a loaded document holds: the snapshot's, then the log's, in order (duplicates kept).</summary>
    public static List<long> IdsOf(StoredDocument doc)
    {
        var ids = new List<long>();
        if (doc.Snapshot is { } snap)
            for (var i = 0; i < snap.Length; i += 8) ids.Add(BitConverter.ToInt64(snap, i));
        ids.AddRange(doc.Log.Select(u => IdOf(u.Payload)));
        return ids;
    }

    /// <summary>Folds the whole loaded document into one snapshot, as the server's compaction does.</summary>
    public static (byte[] Snapshot, long UpToSeq) Fold(StoredDocument doc) =>
        (Snapshot(IdsOf(doc)), doc.LastSeq);

    /// <summary>Asserts the ids are exactly 1..n, each once, and returns n.</summary>
    public static long AssertContiguousFromOne(IReadOnlyList<long> ids)
    {
        for (var i = 0; i < ids.Count; i++)
            Assert.True(ids[i] == i + 1, $"expected update id {i + 1} at position {i}, found {ids[i]} (ids: {Describe(ids)})");
        return ids.Count;
    }

    private static string Describe(IReadOnlyList<long> ids) =>
        ids.Count <= 40 ? string.Join(',', ids) : string.Join(',', ids.Take(20)) + ",...," + string.Join(',', ids.Skip(ids.Count - 20));
}

/// <summary>Thrown from a fault point to abort a transaction the way a crash would.</summary>
internal sealed class SimulatedCrash() : Exception("simulated crash before commit");
