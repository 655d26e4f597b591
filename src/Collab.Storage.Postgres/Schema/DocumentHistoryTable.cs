namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// The metadata (seq, time, size, origin) of accepted updates, never compacted: with the log, the document's history.
/// Version 2 wrote a row with every update; since migration 3 (<see cref="HistoryAtCompaction"/>) compaction writes
/// the rows of the entries it retires from the log. Deleted with the document (by the delete itself since migration 4,
/// <see cref="LogWithoutForeignKeys"/>). Replaced by <see cref="HistoryRuns"/> in migration 5.
/// </summary>
internal static class DocumentHistoryTable
{
    public const string Create = """
        CREATE TABLE document_history (
            document_id bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            seq         bigint      NOT NULL,
            received_at timestamptz NOT NULL,
            size        bigint      NOT NULL,
            origin      text        NULL,
            PRIMARY KEY (document_id, seq)
        );
        """;

    /// <summary>A database from before this table: the history starts with what the log still holds.</summary>
    public const string Backfill = """
        INSERT INTO document_history (document_id, seq, received_at, size, origin)
        SELECT document_id, seq, received_at, length(payload), origin FROM document_updates;
        """;
}
