using Collab.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

// The reads. Each runs in one deferred transaction on a pooled connection: WAL gives it a single snapshot, so a
// compaction committing meanwhile is seen either wholly or not at all.
public sealed partial class SqliteDocumentStore
{
    public Task<StoredDocument?> LoadAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return ReadAsync((c, tx) =>
        {
            long documentId, compactedSeq;
            using (var find = Command(c, tx, "SELECT id, compacted_seq FROM documents WHERE workspace = $w AND name = $n"))
            {
                AddKey(find, key);
                using var r = find.ExecuteReader();
                if (!r.Read()) return null;
                (documentId, compactedSeq) = (r.GetInt64(0), r.GetInt64(1));
            }

            byte[]? snapshot = null;
            long snapshotSeq = 0;
            using (var snap = Command(c, tx, $"""
                SELECT seq, state FROM document_snapshots
                WHERE document_id = $id AND kind = '{DocumentSnapshotsTable.Compaction}'
                ORDER BY seq DESC LIMIT 1
                """))
            {
                snap.Parameters.AddWithValue("$id", documentId);
                using var r = snap.ExecuteReader();
                if (r.Read()) (snapshotSeq, snapshot) = (r.GetInt64(0), r.GetFieldValue<byte[]>(1));
            }
            if (snapshotSeq != compactedSeq)
                throw new StorageException(StorageErrorKind.SchemaMismatch,
                    $"Document {key} is inconsistent: compacted up to seq {compactedSeq} but its snapshot covers {snapshotSeq}. " +
                    "The database was changed outside Collab; restore it from a backup.");

            using var log = Command(c, tx,
                "SELECT seq, payload, origin, received_at FROM document_updates WHERE document_id = $id AND seq > $after ORDER BY seq");
            log.Parameters.AddWithValue("$id", documentId);
            log.Parameters.AddWithValue("$after", snapshotSeq);
            return (StoredDocument?)new StoredDocument(snapshot, snapshotSeq, ReadUpdates(log));
        }, ct);
    }

    public Task<DocumentInfo?> GetInfoAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return ReadAsync((c, tx) =>
        {
            using var cmd = Command(c, tx, $"SELECT {DocumentsTable.Columns} FROM documents WHERE workspace = $w AND name = $n");
            AddKey(cmd, key);
            using var r = cmd.ExecuteReader();
            return r.Read() ? ReadInfo(r) : null;
        }, ct);
    }

    public Task<IReadOnlyList<string>> ListWorkspacesAsync(string? after, int limit, CancellationToken ct = default)
    {
        StoreGuard.Page(limit);
        return ReadAsync<IReadOnlyList<string>>((c, tx) =>
        {
            using var cmd = Command(c, tx,
                "SELECT DISTINCT workspace FROM documents WHERE $after IS NULL OR workspace > $after ORDER BY workspace LIMIT $limit");
            cmd.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$limit", limit);
            var list = new List<string>();
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(r.GetString(0));
            return list;
        }, ct);
    }

    public Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string workspace, string? after, int limit, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        StoreGuard.Page(limit);
        return ReadAsync<IReadOnlyList<DocumentInfo>>((c, tx) =>
        {
            using var cmd = Command(c, tx, $"""
                SELECT {DocumentsTable.Columns} FROM documents
                WHERE workspace = $w AND ($after IS NULL OR name > $after) ORDER BY name LIMIT $limit
                """);
            cmd.Parameters.AddWithValue("$w", workspace);
            cmd.Parameters.AddWithValue("$after", (object?)after ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$limit", limit);
            var list = new List<DocumentInfo>();
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(ReadInfo(r));
            return list;
        }, ct);
    }

    public Task<IReadOnlyList<StoredUpdate>> ReadLogAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Page(limit);
        return ReadAsync<IReadOnlyList<StoredUpdate>>((c, tx) =>
        {
            using var cmd = Command(c, tx, """
                SELECT u.seq, u.payload, u.origin, u.received_at
                FROM document_updates u JOIN documents d ON d.id = u.document_id
                WHERE d.workspace = $w AND d.name = $n AND u.seq > $after
                ORDER BY u.seq LIMIT $limit
                """);
            AddKey(cmd, key);
            cmd.Parameters.AddWithValue("$after", afterSeq);
            cmd.Parameters.AddWithValue("$limit", limit);
            return ReadUpdates(cmd);
        }, ct);
    }

    // Since migration 4 the history table holds the entries compaction retired from the log, and the log the rest:
    // every history seq is below every log seq, so a page is the history's rows and then, if it is not full, the log's.
    public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Page(limit);
        return ReadAsync<IReadOnlyList<HistoryEntry>>((c, tx) =>
        {
            var list = new List<HistoryEntry>();
            ReadHistoryRows(c, tx, key, "SELECT h.seq, h.received_at, h.size, h.origin FROM document_history h", afterSeq, limit, list);
            if (list.Count < limit)
            {
                ReadHistoryRows(c, tx, key, "SELECT h.seq, h.received_at, length(h.payload), h.origin FROM document_updates h",
                    list.Count > 0 ? list[^1].Seq : afterSeq, limit - list.Count, list);
            }

            return list;
        }, ct);
    }

    private static void ReadHistoryRows(SqliteConnection c, SqliteTransaction tx, DocumentKey key, string select, long afterSeq, int limit, List<HistoryEntry> into)
    {
        using var cmd = Command(c, tx, $"""
            {select} JOIN documents d ON d.id = h.document_id
            WHERE d.workspace = $w AND d.name = $n AND h.seq > $after
            ORDER BY h.seq LIMIT $limit
            """);
        AddKey(cmd, key);
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            into.Add(new HistoryEntry(r.GetInt64(0), UnixTime.FromMicros(r.GetInt64(1)), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3)));
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, T> read, CancellationToken ct)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding); // as in WriteAsync: the caller goes on while SQLite reads synchronously
        if (!_migrated) await MigrateAsync(ct).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        using var c = OpenReader();
        try
        {
            using var tx = c.BeginTransaction(deferred: true);
            return read(c, tx);
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, DatabasePath);
        }
    }

    private static List<StoredUpdate> ReadUpdates(SqliteCommand cmd)
    {
        var list = new List<StoredUpdate>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new StoredUpdate(
                r.GetInt64(0),
                r.GetFieldValue<byte[]>(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                UnixTime.FromMicros(r.GetInt64(3))));
        }
        return list;
    }

    private static DocumentInfo ReadInfo(SqliteDataReader r) => new(
        new DocumentKey(r.GetString(0), r.GetString(1)),
        UnixTime.FromMicros(r.GetInt64(2)),
        UnixTime.FromMicros(r.GetInt64(3)),
        r.GetInt64(4),
        r.GetInt64(5),
        r.GetInt64(6),
        r.GetInt64(7));
}
