namespace Collab.Storage;

/// <summary>
/// A store whose append path can run without storing anything: the server's start-up warm-up calls it, round after
/// round, so that the runtime compiles the path (and the database prepares its statements) before the first clients
/// wait on it.
/// </summary>
public interface IStoreWarmUp
{
    /// <summary>
    /// One round: appends a few updates to a few scratch documents in one transaction, as the group commit does, reads
    /// back what it would have returned, and rolls the transaction back: nothing it did is kept (the scratch documents
    /// are in workspace <c>collab:warm-up</c>). Concurrent appends wait for a round at most as long as for another group commit.
    /// </summary>
    Task WarmUpAsync(CancellationToken ct = default);
}

/// <summary>The scratch documents and updates of a warm-up round.</summary>
internal static class WarmUpBatch
{
    public const string Workspace = "collab:warm-up";

    /// <summary>Three documents with four small updates each (the payloads need not be valid updates: nothing reads them).</summary>
    public static List<PendingAppend> Create()
    {
        var now = DateTimeOffset.UtcNow;
        var appends = new List<PendingAppend>(3);
        for (var d = 0; d < 3; d++)
        {
            var updates = new UpdateRecord[4];
            for (var u = 0; u < updates.Length; u++) updates[u] = new UpdateRecord(new byte[24 + u], "warm-up", now);
            appends.Add(new PendingAppend(new DocumentKey(Workspace, $"d{d}"), updates, CancellationToken.None));
        }
        return appends;
    }
}
