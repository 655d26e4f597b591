namespace Collab.Storage.Sqlite.Schema;

/// <summary>
/// One row per document. <c>last_seq</c> is the version every append advances in the same statement that claims
/// its sequence numbers; <c>compacted_seq</c> is the last sequence folded into the compaction snapshot;
/// <c>owner_epoch</c> is the fencing token for cluster ownership. Times are Unix microseconds (UTC).
/// </summary>
internal static class DocumentsTable
{
    public const string Create = """
        CREATE TABLE documents (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            workspace     TEXT    NOT NULL,
            name          TEXT    NOT NULL,
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            size_bytes    INTEGER NOT NULL DEFAULT 0,
            last_seq      INTEGER NOT NULL DEFAULT 0,
            compacted_seq INTEGER NOT NULL DEFAULT 0,
            owner_epoch   INTEGER NOT NULL DEFAULT 0,
            UNIQUE (workspace, name)
        );
        """;

    public const string Columns = "workspace, name, created_at, updated_at, size_bytes, last_seq, compacted_seq, owner_epoch";
}
