namespace Collab.Storage.Sqlite.Schema;

/// <summary>
/// Migration 4: an append writes its log rows only; compaction copies the metadata of the entries it retires into
/// document_history in the transaction that deletes them, and the history is read from both tables. Writing a history
/// row with every update touched a second page per document in every group commit: at 8000 updates a second over 50
/// documents, 99–112 pwrite calls per commit became 71–77 and 41–48 MB/s written became 29–33 (bench/load at 20
/// edits/s, 10 s sampled from /proc and perf stat). The rows versions 2 and 3 wrote for entries still in the log go,
/// so that each entry is in exactly one of the two tables: the history's seqs all below the log's.
/// </summary>
internal static class HistoryAtCompaction
{
    public const string Migrate = """
        DELETE FROM document_history
        WHERE EXISTS (SELECT 1 FROM document_updates u WHERE u.document_id = document_history.document_id AND u.seq = document_history.seq);
        """;
}
