namespace Collab.Storage.Postgres.Schema;

/// <summary>
/// One row per document. <c>last_seq</c> is the version every append advances in the same statement that claims
/// its sequence numbers (the row lock orders concurrent appends); <c>compacted_seq</c> is the last sequence folded
/// into the compaction snapshot; <c>owner_epoch</c> is the fencing token for cluster ownership. Names use the "C"
/// collation so that paging orders them by bytes, as SQLite does.
/// </summary>
internal static class DocumentsTable
{
    public const string Create = """
        CREATE TABLE documents (
            id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workspace     text        COLLATE "C" NOT NULL,
            name          text        COLLATE "C" NOT NULL,
            created_at    timestamptz NOT NULL,
            updated_at    timestamptz NOT NULL,
            size_bytes    bigint      NOT NULL DEFAULT 0,
            last_seq      bigint      NOT NULL DEFAULT 0,
            compacted_seq bigint      NOT NULL DEFAULT 0,
            owner_epoch   bigint      NOT NULL DEFAULT 0,
            CONSTRAINT documents_workspace_name_key UNIQUE (workspace, name)
        );
        """;

    public const string Columns = "workspace, name, created_at, updated_at, size_bytes, last_seq, compacted_seq, owner_epoch";
}
