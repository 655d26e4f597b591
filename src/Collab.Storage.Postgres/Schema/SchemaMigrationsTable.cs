namespace Collab.Storage.Postgres.Schema;

/// <summary>Which versioned migrations have been applied; created (under the migration lock) before any runs.</summary>
internal static class SchemaMigrationsTable
{
    public const string CreateIfMissing = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;
}
