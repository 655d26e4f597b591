using System.Data;
using Collab.Storage.Postgres.Schema;
using Npgsql;

namespace Collab.Storage.Postgres;

// The reads. A load runs in one REPEATABLE READ transaction, so a compaction committing meanwhile is seen either
// wholly (new snapshot, shorter log) or not at all.
public sealed partial class PostgresDocumentStore
{
    public Task<StoredDocument?> LoadAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync(async (c, ct) =>
        {
            await using var tx = await c.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
            long documentId, compactedSeq;
            await using (var find = new NpgsqlCommand("SELECT id, compacted_seq FROM documents WHERE workspace = @w AND name = @n", c, tx))
            {
                AddKey(find, key);
                await using var r = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
                (documentId, compactedSeq) = (r.GetInt64(0), r.GetInt64(1));
            }

            byte[]? snapshot = null;
            long snapshotSeq = 0;
            await using (var snap = new NpgsqlCommand($"""
                SELECT seq, state FROM document_snapshots
                WHERE document_id = @id AND kind = '{DocumentSnapshotsTable.Compaction}'
                ORDER BY seq DESC LIMIT 1
                """, c, tx))
            {
                snap.Parameters.Add(new NpgsqlParameter<long>("id", documentId));
                await using var r = await snap.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (await r.ReadAsync(ct).ConfigureAwait(false)) (snapshotSeq, snapshot) = (r.GetInt64(0), r.GetFieldValue<byte[]>(1));
            }
            if (snapshotSeq != compactedSeq)
                throw new StorageException(StorageErrorKind.SchemaMismatch,
                    $"Document {key} is inconsistent: compacted up to seq {compactedSeq} but its snapshot covers {snapshotSeq}. " +
                    "The database was changed outside Collab; restore it from a backup.");

            await using var log = new NpgsqlCommand(
                "SELECT seq, payload, origin, received_at FROM document_updates WHERE document_id = @id AND seq > @after ORDER BY seq", c, tx);
            log.Parameters.Add(new NpgsqlParameter<long>("id", documentId));
            log.Parameters.Add(new NpgsqlParameter<long>("after", snapshotSeq));
            var updates = await ReadUpdatesAsync(log, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return (StoredDocument?)new StoredDocument(snapshot, snapshotSeq, updates);
        }, ct);
    }

    public Task<DocumentInfo?> GetInfoAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync((c, ct) => ReadInfoAsync(c, key, ct), ct);
    }

    public Task<IReadOnlyList<string>> ListWorkspacesAsync(string? after, int limit, CancellationToken ct = default)
    {
        StoreGuard.Page(limit);
        return RunAsync<IReadOnlyList<string>>(async (c, ct) =>
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT DISTINCT workspace FROM documents WHERE @after::text IS NULL OR workspace > @after ORDER BY workspace LIMIT @limit", c);
            cmd.Parameters.Add(new NpgsqlParameter("after", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)after ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var list = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(r.GetString(0));
            return list;
        }, ct);
    }

    public Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string workspace, string? after, int limit, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        StoreGuard.Page(limit);
        return RunAsync<IReadOnlyList<DocumentInfo>>(async (c, ct) =>
        {
            await using var cmd = new NpgsqlCommand($"""
                SELECT {DocumentsTable.Columns} FROM documents
                WHERE workspace = @w AND (@after::text IS NULL OR name > @after) ORDER BY name LIMIT @limit
                """, c);
            cmd.Parameters.Add(new NpgsqlParameter<string>("w", workspace));
            cmd.Parameters.Add(new NpgsqlParameter("after", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)after ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var list = new List<DocumentInfo>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ReadInfo(r));
            return list;
        }, ct);
    }

    public Task<IReadOnlyList<StoredUpdate>> ReadLogAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Page(limit);
        return RunAsync<IReadOnlyList<StoredUpdate>>(async (c, ct) =>
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT u.seq, u.payload, u.origin, u.received_at
                FROM document_updates u JOIN documents d ON d.id = u.document_id
                WHERE d.workspace = @w AND d.name = @n AND u.seq > @after
                ORDER BY u.seq LIMIT @limit
                """, c);
            AddKey(cmd, key);
            cmd.Parameters.Add(new NpgsqlParameter<long>("after", afterSeq));
            cmd.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            return await ReadUpdatesAsync(cmd, ct).ConfigureAwait(false);
        }, ct);
    }

    public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Page(limit);
        return RunAsync<IReadOnlyList<HistoryEntry>>(async (c, ct) =>
        {
            // The runs hold the entries compaction retired from the log, the log the rest (migrations 3 and 5), in one
            // statement so that a compaction committing meanwhile cannot move an entry out of view. Only the runs the
            // page reaches are unnested (those with fewer than @limit entries after @after before them), and of each only
            // the slice from @after on.
            await using var cmd = new NpgsqlCommand("""
                WITH d AS (SELECT id FROM documents WHERE workspace = @w AND name = @n),
                runs AS (
                    SELECT r.first_seq, r.last_seq, r.received_at, r.sizes, r.origins, greatest(r.first_seq, @after + 1) AS from_seq,
                           sum(r.last_seq - greatest(r.first_seq, @after + 1) + 1) OVER (ORDER BY r.last_seq) AS through
                    FROM document_history_runs r, d WHERE r.document_id = d.id AND r.last_seq > @after
                )
                SELECT x.seq, x.received_at, x.size, x.origin FROM (
                    SELECT n.from_seq + e.i - 1 AS seq, e.received_at, e.size::bigint AS size, e.origin
                    FROM runs n,
                    LATERAL (SELECT (n.from_seq - n.first_seq + 1)::int AS lo, least(n.from_seq - n.first_seq + @limit, 2147483647)::int AS hi) s,
                    LATERAL unnest(n.received_at[s.lo:s.hi], n.sizes[s.lo:s.hi], n.origins[s.lo:s.hi])
                        WITH ORDINALITY AS e (received_at, size, origin, i)
                    WHERE n.through - (n.last_seq - n.from_seq + 1) < @limit
                    UNION ALL
                    (SELECT u.seq, u.received_at, length(u.payload)::bigint, u.origin FROM document_updates u, d
                     WHERE u.document_id = d.id AND u.seq > @after ORDER BY u.seq LIMIT @limit)
                ) x
                ORDER BY 1 LIMIT @limit
                """, c);
            AddKey(cmd, key);
            cmd.Parameters.Add(new NpgsqlParameter<long>("after", afterSeq));
            cmd.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            var list = new List<HistoryEntry>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(new HistoryEntry(
                    r.GetInt64(0),
                    r.GetFieldValue<DateTimeOffset>(1),
                    r.GetInt64(2),
                    r.IsDBNull(3) ? null : r.GetString(3)));
            }

            return list;
        }, ct);
    }

    private static async Task<DocumentInfo?> ReadInfoAsync(NpgsqlConnection c, DocumentKey key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {DocumentsTable.Columns} FROM documents WHERE workspace = @w AND name = @n", c);
        AddKey(cmd, key);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadInfo(r) : null;
    }

    private static async Task<List<StoredUpdate>> ReadUpdatesAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<StoredUpdate>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new StoredUpdate(
                r.GetInt64(0),
                r.GetFieldValue<byte[]>(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.GetFieldValue<DateTimeOffset>(3)));
        }
        return list;
    }

    private static DocumentInfo ReadInfo(NpgsqlDataReader r) => new(
        new DocumentKey(r.GetString(0), r.GetString(1)),
        r.GetFieldValue<DateTimeOffset>(2),
        r.GetFieldValue<DateTimeOffset>(3),
        r.GetInt64(4),
        r.GetInt64(5),
        r.GetInt64(6),
        r.GetInt64(7));
}
