namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// Encoded document states. Kind <c>compaction</c>: the state of every update with seq ≤ <c>seq</c>; only the
/// latest is kept. Kind <c>named</c>: a restore point with label, author and state vector, kept until the
/// document is deleted.
/// </summary>
internal static class DocumentSnapshotsTable
{
    public const string Create = """
        CREATE TABLE document_snapshots (
            id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            document_id  bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            kind         text        NOT NULL CHECK (kind IN ('compaction', 'named')),
            seq          bigint      NOT NULL,
            label        text        NULL,
            author       text        NULL,
            created_at   timestamptz NOT NULL,
            state        bytea       NOT NULL,
            state_vector bytea       NULL
        );
        CREATE INDEX document_snapshots_by_document ON document_snapshots (document_id, kind, seq);
        """;

    public const string Compaction = "compaction";
    public const string Named = "named";
}
