namespace Collab.Storage;

/// <summary>Argument checks shared by the stores; these are caller bugs, so they throw ArgumentException.</summary>
internal static class StoreGuard
{
    public static void Key(DocumentKey key)
    {
        if (string.IsNullOrEmpty(key.Workspace)) throw new ArgumentException("The workspace name is empty.", nameof(key));
        if (string.IsNullOrEmpty(key.Document)) throw new ArgumentException("The document name is empty.", nameof(key));
    }

    public static void Updates(IReadOnlyList<UpdateRecord> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        for (var i = 0; i < updates.Count; i++)
        {
            if (updates[i] is null || updates[i].Payload is null)
                throw new ArgumentException($"Update {i} of the batch has no payload.", nameof(updates));
        }
    }

    public static void Compaction(byte[] snapshot, long upToSeq)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfLessThan(upToSeq, 1);
    }

    public static void NamedSnapshot(long seq, string label, byte[] state, byte[] stateVector)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stateVector);
    }

    public static void Page(int limit) => ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

    public static long PayloadBytes(IReadOnlyList<UpdateRecord> updates)
    {
        long total = 0;
        for (var i = 0; i < updates.Count; i++) total += updates[i].Payload.Length;
        return total;
    }
}
