namespace Collab.Storage.Sqlite.Schema;

/// <summary>Which versioned migrations have been applied; created before any migration runs.</summary>
internal static class SchemaMigrationsTable
{
    public const string CreateIfMissing = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000000)
        );
        """;
}
