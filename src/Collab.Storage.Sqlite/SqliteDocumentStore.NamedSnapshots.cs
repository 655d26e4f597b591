using Collab.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

// Named snapshots: rows of kind 'named' in document_snapshots.
public sealed partial class SqliteDocumentStore : INamedSnapshotStore
{
    private const string NamedInfoColumns = "s.id, s.seq, s.label, s.author, s.created_at, length(s.state)";

    public async Task<NamedSnapshotInfo> SaveNamedSnapshotAsync(
        DocumentKey key, long seq, string label, string? author, byte[] state, byte[] stateVector, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.NamedSnapshot(seq, label, state, stateVector);
        var createdAt = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var id = await WriteAsync(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            // The version check rides in the insert: no row unless the document exists and has reached seq.
            using var insert = Command(c, tx, $"""
                INSERT INTO document_snapshots (document_id, kind, seq, label, author, created_at, state, state_vector)
                SELECT id, '{DocumentSnapshotsTable.Named}', $seq, $label, $author, $now, $state, $sv
                FROM documents WHERE workspace = $w AND name = $n AND last_seq >= $seq
                RETURNING id
                """);
            AddKey(insert, key);
            insert.Parameters.AddWithValue("$seq", seq);
            insert.Parameters.AddWithValue("$label", label);
            insert.Parameters.AddWithValue("$author", (object?)author ?? DBNull.Value);
            insert.Parameters.AddWithValue("$now", UnixTime.ToMicros(createdAt));
            insert.Parameters.Add("$state", SqliteType.Blob).Value = state;
            insert.Parameters.Add("$sv", SqliteType.Blob).Value = stateVector;
            if (insert.ExecuteScalar() is long id)
            {
                tx.Commit();
                return id;
            }

            using var last = Command(c, tx, "SELECT last_seq FROM documents WHERE workspace = $w AND name = $n");
            AddKey(last, key);
            throw last.ExecuteScalar() is long lastSeq ? StoreErrors.SnapshotPastEnd(key, seq, lastSeq) : StoreErrors.NotFound(key);
        }, ct).ConfigureAwait(false);
        return new NamedSnapshotInfo(id, key, seq, label, author, createdAt, state.Length);
    }

    public Task<IReadOnlyList<NamedSnapshotInfo>> ListNamedSnapshotsAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return ReadAsync<IReadOnlyList<NamedSnapshotInfo>>((c, tx) =>
        {
            using var cmd = Command(c, tx, $"""
                SELECT {NamedInfoColumns} FROM document_snapshots s JOIN documents d ON d.id = s.document_id
                WHERE d.workspace = $w AND d.name = $n AND s.kind = '{DocumentSnapshotsTable.Named}' ORDER BY s.id
                """);
            AddKey(cmd, key);
            var list = new List<NamedSnapshotInfo>();
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(ReadNamedInfo(r, key));
            return list;
        }, ct);
    }

    public Task<NamedSnapshot?> GetNamedSnapshotAsync(DocumentKey key, long id, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return ReadAsync((c, tx) =>
        {
            using var cmd = Command(c, tx, $"""
                SELECT {NamedInfoColumns}, s.state, s.state_vector FROM document_snapshots s JOIN documents d ON d.id = s.document_id
                WHERE d.workspace = $w AND d.name = $n AND s.kind = '{DocumentSnapshotsTable.Named}' AND s.id = $id
                """);
            AddKey(cmd, key);
            cmd.Parameters.AddWithValue("$id", id);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new NamedSnapshot(ReadNamedInfo(r, key), r.GetFieldValue<byte[]>(6), r.IsDBNull(7) ? [] : r.GetFieldValue<byte[]>(7))
                : null;
        }, ct);
    }

    private static NamedSnapshotInfo ReadNamedInfo(SqliteDataReader r, DocumentKey key) => new(
        r.GetInt64(0), key, r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
        UnixTime.FromMicros(r.GetInt64(4)), r.GetInt64(5));
}
