namespace Collab.Storage.Sqlite.Schema;

/// <summary>
/// Migration 3: the update log and the history become WITHOUT ROWID tables, stored in (document, seq) order. As rowid
/// tables they were stored in arrival order, so one document's rows were spread over every page written while it was
/// edited: a compaction that retires 1000 of them rewrote pages all over the recent log, under the write lock that
/// every append waits for (at 8000 updates a second over 50 documents that is 8 compactions a second). Clustered, a
/// compaction touches the pages of its own document only, and an append one page per table per document.
/// </summary>
internal static class ClusteredLogTables
{
    public static readonly string Migrate =
        Recluster("document_updates", "payload BLOB NOT NULL, received_at INTEGER NOT NULL, origin TEXT NULL",
            "payload, received_at, origin") +
        Recluster("document_history", "received_at INTEGER NOT NULL, size INTEGER NOT NULL, origin TEXT NULL",
            "received_at, size, origin");

    // Rebuilds a (document_id, seq)-keyed table as WITHOUT ROWID, keeping every row.
    private static string Recluster(string table, string columns, string names) => $"""
        CREATE TABLE {table}_clustered (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            {columns},
            PRIMARY KEY (document_id, seq)
        ) WITHOUT ROWID;
        INSERT INTO {table}_clustered (document_id, seq, {names}) SELECT document_id, seq, {names} FROM {table};
        DROP TABLE {table};
        ALTER TABLE {table}_clustered RENAME TO {table};

        """;
}
