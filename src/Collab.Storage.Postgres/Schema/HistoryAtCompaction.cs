namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// Migration 3: an append writes its log rows only; compaction copies the metadata of the entries it retires into
/// document_history in the transaction that deletes them, and the history is read from both tables (one insert and
/// one index entry less per update). The rows version 2 wrote for entries still in the log go, so that each entry is
/// in exactly one of the two tables.
/// </summary>
internal static class HistoryAtCompaction
{
    public const string Migrate = """
        DELETE FROM document_history h
        USING document_updates u
        WHERE u.document_id = h.document_id AND u.seq = h.seq;
        """;
}
