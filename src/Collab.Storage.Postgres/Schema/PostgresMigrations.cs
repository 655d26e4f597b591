namespace Collab.Storage.Postgres.Schema;

/// <summary>The PostgreSQL schema's history, in order. Append new steps; never edit a released one.</summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "documents, document_updates, document_snapshots",
            DocumentsTable.Create + DocumentUpdatesTable.Create + DocumentSnapshotsTable.Create),
        new(2, "document_history", DocumentHistoryTable.Create + DocumentHistoryTable.Backfill),
        new(3, "document_history written by compaction", HistoryAtCompaction.Migrate),
        new(4, "document_updates and document_history without foreign keys", LogWithoutForeignKeys.Migrate),
        new(5, "document_history as runs (document_history_runs)", HistoryRuns.Migrate),
    ];

    public static int Latest => All[^1].Version;
}
