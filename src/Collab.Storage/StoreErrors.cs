namespace Collab.Storage;

/// <summary>The errors both stores raise alike, worded once.</summary>
internal static class StoreErrors
{
    public static StorageException SchemaTooNew(long found, int known, string where) => new(
        StorageErrorKind.SchemaMismatch,
        $"The {where} was migrated to schema version {found} by a newer Collab; this version knows up to {known}. " +
        "Run the newer Collab, or point this one at another database.");

    public static StorageException NotFound(DocumentKey key) =>
        new(StorageErrorKind.DocumentNotFound, $"Document {key} does not exist (it was never stored, or was deleted).");

    public static StorageException CompactionPastEnd(DocumentKey key, long upToSeq, long lastSeq) =>
        new(StorageErrorKind.Conflict,
            $"Cannot compact document {key} up to seq {upToSeq}: its log ends at seq {lastSeq}. " +
            "Compact only up to a sequence number that AppendAsync returned.");

    public static StorageException SnapshotPastEnd(DocumentKey key, long seq, long lastSeq) =>
        new(StorageErrorKind.Conflict,
            $"Cannot snapshot document {key} at seq {seq}: its log ends at seq {lastSeq}. " +
            "Snapshot only a state the store has acknowledged.");

    public static StorageException CompactionRace(DocumentKey key) =>
        new(StorageErrorKind.Conflict, $"Document {key} changed while it was being compacted; retry the compaction.");
}
