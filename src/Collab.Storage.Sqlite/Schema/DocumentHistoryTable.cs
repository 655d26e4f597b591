namespace Collab.Storage.Sqlite.Schema;

/// <summary>
/// Every accepted update's metadata (seq, time, size, origin), written with the log row in the same transaction but
/// never compacted: the document's history. Deleted with the document.
/// </summary>
internal static class DocumentHistoryTable
{
    public const string Create = """
        CREATE TABLE document_history (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            size        INTEGER NOT NULL,
            origin      TEXT    NULL,
            PRIMARY KEY (document_id, seq)
        );
        """;

    /// <summary>A database from before this table: the history starts with what the log still holds.</summary>
    public const string Backfill = """
        INSERT INTO document_history (document_id, seq, received_at, size, origin)
        SELECT document_id, seq, received_at, length(payload), origin FROM document_updates;
        """;
}
