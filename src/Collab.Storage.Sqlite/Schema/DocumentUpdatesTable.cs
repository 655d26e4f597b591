namespace Collab.Storage.Sqlite.Schema;

/// <summary>
/// The append-only update log: one row per accepted update, keyed by (document, seq). Rows are only ever
/// inserted, and deleted by the compaction that folds them into a snapshot.
/// </summary>
internal static class DocumentUpdatesTable
{
    public const string Create = """
        CREATE TABLE document_updates (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            payload     BLOB    NOT NULL,
            received_at INTEGER NOT NULL,
            origin      TEXT    NULL,
            PRIMARY KEY (document_id, seq)
        );
        """;
}
