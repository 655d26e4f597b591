namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// The append-only update log: one row per accepted update, keyed by (document, seq). Rows are only ever
/// inserted, and deleted by the compaction that folds them into a snapshot (or with their document; since migration 4
/// without a foreign key, <see cref="LogWithoutForeignKeys"/>).
/// </summary>
internal static class DocumentUpdatesTable
{
    public const string Create = """
        CREATE TABLE document_updates (
            document_id bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            seq         bigint      NOT NULL,
            payload     bytea       NOT NULL,
            received_at timestamptz NOT NULL,
            origin      text        NULL,
            PRIMARY KEY (document_id, seq)
        );
        """;
}
