using Collab.Storage.Postgres.Schema;
using Npgsql;

namespace Collab.Storage.Postgres;

// Named snapshots: rows of kind 'named' in document_snapshots.
public sealed partial class PostgresDocumentStore : INamedSnapshotStore
{
    private const string NamedInfoColumns = "s.id, s.seq, s.label, s.author, s.created_at, length(s.state)::bigint";

    public Task<NamedSnapshotInfo> SaveNamedSnapshotAsync(
        DocumentKey key, long seq, string label, string? author, byte[] state, byte[] stateVector, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.NamedSnapshot(seq, label, state, stateVector);
        var createdAt = UnixTime.Truncate(DateTimeOffset.UtcNow);
        return RunAsync(async (c, ct) =>
        {
            // One statement; the version check rides in it: no row unless the document exists and has reached seq.
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO document_snapshots (document_id, kind, seq, label, author, created_at, state, state_vector)
                SELECT id, '{DocumentSnapshotsTable.Named}', @seq, @label, @author, @now, @state, @sv
                FROM documents WHERE workspace = @w AND name = @n AND last_seq >= @seq
                RETURNING id
                """, c);
            AddKey(insert, key);
            insert.Parameters.Add(new NpgsqlParameter<long>("seq", seq));
            insert.Parameters.Add(new NpgsqlParameter<string>("label", label));
            insert.Parameters.Add(new NpgsqlParameter("author", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)author ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter<DateTime>("now", createdAt.UtcDateTime));
            insert.Parameters.Add(new NpgsqlParameter<byte[]>("state", state));
            insert.Parameters.Add(new NpgsqlParameter<byte[]>("sv", stateVector));
            if (await insert.ExecuteScalarAsync(ct).ConfigureAwait(false) is long id)
                return new NamedSnapshotInfo(id, key, seq, label, author, createdAt, state.Length);

            var info = await ReadInfoAsync(c, key, ct).ConfigureAwait(false);
            throw info is null ? StoreErrors.NotFound(key) : StoreErrors.SnapshotPastEnd(key, seq, info.LastSeq);
        }, ct);
    }

    public Task<IReadOnlyList<NamedSnapshotInfo>> ListNamedSnapshotsAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync<IReadOnlyList<NamedSnapshotInfo>>(async (c, ct) =>
        {
            await using var cmd = new NpgsqlCommand($"""
                SELECT {NamedInfoColumns} FROM document_snapshots s JOIN documents d ON d.id = s.document_id
                WHERE d.workspace = @w AND d.name = @n AND s.kind = '{DocumentSnapshotsTable.Named}' ORDER BY s.id
                """, c);
            AddKey(cmd, key);
            var list = new List<NamedSnapshotInfo>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ReadNamedInfo(r, key));
            return list;
        }, ct);
    }

    public Task<NamedSnapshot?> GetNamedSnapshotAsync(DocumentKey key, long id, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync(async (c, ct) =>
        {
            await using var cmd = new NpgsqlCommand($"""
                SELECT {NamedInfoColumns}, s.state, s.state_vector FROM document_snapshots s JOIN documents d ON d.id = s.document_id
                WHERE d.workspace = @w AND d.name = @n AND s.kind = '{DocumentSnapshotsTable.Named}' AND s.id = @id
                """, c);
            AddKey(cmd, key);
            cmd.Parameters.Add(new NpgsqlParameter<long>("id", id));
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await r.ReadAsync(ct).ConfigureAwait(false)
                ? new NamedSnapshot(ReadNamedInfo(r, key), r.GetFieldValue<byte[]>(6), r.IsDBNull(7) ? [] : r.GetFieldValue<byte[]>(7))
                : null;
        }, ct);
    }

    private static NamedSnapshotInfo ReadNamedInfo(NpgsqlDataReader r, DocumentKey key) => new(
        r.GetInt64(0), key, r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
        r.GetFieldValue<DateTimeOffset>(4), r.GetInt64(5));
}
