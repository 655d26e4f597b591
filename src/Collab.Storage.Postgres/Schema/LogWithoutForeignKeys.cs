namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// Migration 4: the update log and the history lose their foreign keys to documents; deleting a document deletes its
/// rows explicitly (<see cref="PostgresDocumentStore.DeleteAsync"/>). PostgreSQL checks a foreign key with a trigger
/// that runs a query per inserted row: at 8000 appends a second that was a quarter of its CPU, for rows whose
/// document the same statement has just created or locked (an append claims its sequence numbers from the document's
/// row, and compaction writes history for the row it holds). The snapshots keep theirs (one row per compaction).
/// </summary>
internal static class LogWithoutForeignKeys
{
    public const string Migrate = """
        ALTER TABLE document_updates DROP CONSTRAINT IF EXISTS document_updates_document_id_fkey;
        ALTER TABLE document_history DROP CONSTRAINT IF EXISTS document_history_document_id_fkey;
        """;
}
