using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

// The append statements, prepared once per writer connection. A new SqliteCommand is parsed and prepared again by
// SQLite on its first execution; at thousands of appends a second that preparing was most of the store's CPU time.
// Only the writer (under _writeLock) uses them; they are replaced when the writer connection is.
public sealed partial class SqliteDocumentStore
{
    private AppendStatements? _appendStatements;

    private AppendStatements AppendStatementsFor(SqliteConnection c)
    {
        if (_appendStatements?.Connection != c)
        {
            _appendStatements?.Dispose();
            _appendStatements = new AppendStatements(c);
        }

        return _appendStatements;
    }

    private sealed class AppendStatements : IDisposable
    {
        public AppendStatements(SqliteConnection c)
        {
            Connection = c;
            Claim = Command(c, null, """
                INSERT INTO documents (workspace, name, created_at, updated_at, size_bytes, last_seq)
                VALUES ($w, $n, $now, $now, $bytes, $count)
                ON CONFLICT (workspace, name) DO UPDATE SET
                    last_seq   = last_seq + excluded.last_seq,
                    size_bytes = size_bytes + excluded.size_bytes,
                    updated_at = excluded.updated_at
                RETURNING id, last_seq
                """);
            Workspace = Claim.Parameters.Add("$w", SqliteType.Text);
            Name = Claim.Parameters.Add("$n", SqliteType.Text);
            Now = Claim.Parameters.Add("$now", SqliteType.Integer);
            Bytes = Claim.Parameters.Add("$bytes", SqliteType.Integer);
            Count = Claim.Parameters.Add("$count", SqliteType.Integer);

            InsertUpdate = Command(c, null, """
                INSERT INTO document_updates (document_id, seq, payload, received_at, origin)
                VALUES ($id, $seq, $payload, $at, $origin)
                """);
            Id = InsertUpdate.Parameters.Add("$id", SqliteType.Integer);
            Seq = InsertUpdate.Parameters.Add("$seq", SqliteType.Integer);
            Payload = InsertUpdate.Parameters.Add("$payload", SqliteType.Blob);
            At = InsertUpdate.Parameters.Add("$at", SqliteType.Integer);
            Origin = InsertUpdate.Parameters.Add("$origin", SqliteType.Text);
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Claim { get; }

        public SqliteCommand InsertUpdate { get; }

        public SqliteParameter Workspace { get; }

        public SqliteParameter Name { get; }

        public SqliteParameter Now { get; }

        public SqliteParameter Bytes { get; }

        public SqliteParameter Count { get; }

        public SqliteParameter Id { get; }

        public SqliteParameter Seq { get; }

        public SqliteParameter Payload { get; }

        public SqliteParameter At { get; }

        public SqliteParameter Origin { get; }

        public void Dispose()
        {
            Claim.Dispose();
            InsertUpdate.Dispose();
        }
    }
}
