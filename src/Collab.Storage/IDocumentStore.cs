namespace Collab.Storage;

/// <summary>Identifies a document: the workspace it belongs to and its name within it.</summary>
public readonly record struct DocumentKey(string Workspace, string Document)
{
    public override string ToString() => $"{Workspace}/{Document}";
}

/// <summary>One accepted update, as appended to a document's log.</summary>
public sealed record UpdateRecord(byte[] Payload, string? Origin, DateTimeOffset ReceivedAt);

/// <summary>A logged update read back, with its sequence number (ascending per document, never reused).</summary>
public sealed record StoredUpdate(long Seq, byte[] Payload, string? Origin, DateTimeOffset ReceivedAt);

/// <summary>What loading a document yields: the latest compaction snapshot (if any) and the log after it.</summary>
public sealed record StoredDocument(byte[]? Snapshot, long SnapshotSeq, IReadOnlyList<StoredUpdate> Log)
{
    /// <summary>The sequence number of the last update this state includes.</summary>
    public long LastSeq => Log.Count > 0 ? Log[^1].Seq : SnapshotSeq;
}

/// <summary>
/// Durable storage of Yjs documents: an append-only update log plus compaction snapshots.
/// Every method is safe against a crash at any point: a reader sees either the old or the new state.
/// Implementations: SQLite (embedded default) and PostgreSQL; both pass the same test suite.
/// </summary>
public interface IDocumentStore : IAsyncDisposable
{
    /// <summary>Applies versioned schema migrations; idempotent.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>True when the store answers (for /health/ready).</summary>
    Task<bool> PingAsync(CancellationToken ct = default);

    /// <summary>The latest compaction snapshot and every update after it; null if the document was never stored.</summary>
    Task<StoredDocument?> LoadAsync(DocumentKey key, CancellationToken ct = default);

    /// <summary>
    /// Appends updates in one transaction (group commit); returns the sequence number of the last one. Calls for one
    /// document commit in the order they were made, each with seqs above every earlier call's, even while earlier
    /// ones are still in flight (the server starts the next append before the last has committed).
    /// </summary>
    Task<long> AppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct = default);

    /// <summary>
    /// Stores <paramref name="snapshot"/> (an encoded update holding every update with seq ≤ <paramref name="upToSeq"/>)
    /// and retires those log entries, in one transaction.
    /// </summary>
    Task CompactAsync(DocumentKey key, byte[] snapshot, long upToSeq, CancellationToken ct = default);

    /// <summary>Deletes a document with its log and snapshots; true if it existed.</summary>
    Task<bool> DeleteAsync(DocumentKey key, CancellationToken ct = default);
}
