namespace Collab.Storage.Sqlite.Schema;

/// <summary>
/// Encoded document states. Kind <c>compaction</c>: the state of every update with seq ≤ <c>seq</c>; only the
/// latest is kept. Kind <c>named</c>: a restore point with label, author and state vector, kept until the
/// document is deleted.
/// </summary>
internal static class DocumentSnapshotsTable
{
    public const string Create = """
        CREATE TABLE document_snapshots (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            kind         TEXT    NOT NULL CHECK (kind IN ('compaction', 'named')),
            seq          INTEGER NOT NULL,
            label        TEXT    NULL,
            author       TEXT    NULL,
            created_at   INTEGER NOT NULL,
            state        BLOB    NOT NULL,
            state_vector BLOB    NULL
        );
        CREATE INDEX document_snapshots_by_document ON document_snapshots (document_id, kind, seq);
        """;

    public const string Compaction = "compaction";
    public const string Named = "named";
}
