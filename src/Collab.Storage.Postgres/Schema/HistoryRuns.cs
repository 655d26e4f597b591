namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// Migration 5: the history is stored as runs, one row per stretch of consecutive seqs that one compaction retired
/// (at most <see cref="MaxEntries"/> entries), the entries' times, sizes and origins in arrays in seq order; the row
/// per entry of <c>document_history</c> goes. A compaction retires about a thousand entries at a time, and a heap row
/// and an index entry for each were most of the WAL it wrote: at 20 edits/s (50 documents × 8 clients, a compaction
/// per document every 6-9 s) a 25 s run wrote 81-86 MB of WAL with them, 58-67 MB with runs (50-56 MB keeping no history
/// at all), and the history takes about 3.5 bytes per entry instead of about 105 (README, "History as runs"). Old rows
/// are grouped the same way.
/// </summary>
internal static class HistoryRuns
{
    /// <summary>The most entries one run holds, so that reading a page detoasts bounded arrays.</summary>
    public const int MaxEntries = 4096;

    public const string Create = """
        CREATE TABLE document_history_runs (
            document_id bigint        NOT NULL,
            last_seq    bigint        NOT NULL,
            first_seq   bigint        NOT NULL,
            received_at timestamptz[] NOT NULL,
            sizes       integer[]     NOT NULL,
            origins     text[]        NOT NULL,
            PRIMARY KEY (document_id, last_seq),
            CHECK (cardinality(received_at) = last_seq - first_seq + 1
                AND cardinality(sizes) = cardinality(received_at) AND cardinality(origins) = cardinality(received_at))
        );
        """;

    /// <summary>
    /// Groups rows with <c>document_id, seq, received_at, size, origin</c> from <paramref name="source"/> into runs: a
    /// run ends where seqs skip (seq less the row number changes) and after every <see cref="MaxEntries"/>-th row of a
    /// document.
    /// </summary>
    public static string InsertRunsFrom(string source) => $"""
        INSERT INTO document_history_runs (document_id, last_seq, first_seq, received_at, sizes, origins)
        SELECT document_id, max(seq), min(seq), array_agg(received_at ORDER BY seq), array_agg(size::integer ORDER BY seq),
               array_agg(origin ORDER BY seq)
        FROM (SELECT e.*, row_number() OVER (PARTITION BY e.document_id ORDER BY e.seq) AS rn FROM {source} e) numbered
        GROUP BY document_id, seq - rn, (rn - 1) / {MaxEntries}
        """;

    public static string Migrate => Create + InsertRunsFrom("document_history") + ";\nDROP TABLE document_history;\n";
}
