using Collab.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

// The write transactions. Each runs under the store's write lock on the writer connection, inside one
// BEGIN IMMEDIATE transaction, so a crash at any point leaves either the old or the new state. Appends are written
// by the append writer loop (SqliteDocumentStore.Appends.cs), several documents' appends to one transaction.
public sealed partial class SqliteDocumentStore
{
    private int MigrateLocked(SqliteConnection c)
    {
        using var tx = c.BeginTransaction(deferred: false);
        Exec(c, tx, SchemaMigrationsTable.CreateIfMissing);
        long current;
        using (var cmd = Command(c, tx, "SELECT coalesce(max(version), 0) FROM schema_migrations"))
            current = (long)cmd.ExecuteScalar()!;
        if (current > SqliteMigrations.Latest)
            throw StoreErrors.SchemaTooNew(current, SqliteMigrations.Latest, $"SQLite database '{DatabasePath}'");

        var applied = 0;
        foreach (var m in SqliteMigrations.All)
        {
            if (m.Version <= current) continue;
            Exec(c, tx, m.Sql);
            using var record = Command(c, tx, "INSERT INTO schema_migrations (version, name) VALUES ($v, $n)");
            record.Parameters.AddWithValue("$v", m.Version);
            record.Parameters.AddWithValue("$n", m.Name);
            record.ExecuteNonQuery();
            applied++;
        }
        tx.Commit();
        return applied;
    }

    // One append in a transaction of its own.
    private long AppendLocked(SqliteConnection c, DocumentKey key, IReadOnlyList<UpdateRecord> updates)
    {
        using var tx = c.BeginTransaction(deferred: false);
        var lastSeq = AppendInTransaction(c, tx, key, updates);
        if (updates.Count == 0) return lastSeq;
        ((IStoreHooks)this).Fault?.Invoke(FaultPoints.AppendBeforeCommit);
        tx.Commit();
        return lastSeq;
    }

    // Writes one append inside the caller's transaction (which may hold other documents' appends too) without
    // committing it; returns the seq of its last update (for an empty append, the document's last seq so far).
    private long AppendInTransaction(SqliteConnection c, SqliteTransaction tx, DocumentKey key, IReadOnlyList<UpdateRecord> updates)
    {
        if (updates.Count == 0)
        {
            using var last = Command(c, tx, "SELECT last_seq FROM documents WHERE workspace = $w AND name = $n");
            AddKey(last, key);
            return last.ExecuteScalar() is long seq ? seq : 0;
        }

        // Claims the batch's sequence numbers by advancing the version in the statement that creates or locks the row.
        var statements = AppendStatementsFor(c);
        long documentId, lastSeq;
        var claim = statements.Claim;
        claim.Transaction = tx;
        statements.Workspace.Value = key.Workspace;
        statements.Name.Value = key.Document;
        statements.Now.Value = UnixTime.ToMicros(DateTimeOffset.UtcNow);
        statements.Bytes.Value = StoreGuard.PayloadBytes(updates);
        statements.Count.Value = (long)updates.Count;
        using (var r = claim.ExecuteReader())
        {
            r.Read();
            documentId = r.GetInt64(0);
            lastSeq = r.GetInt64(1);
        }

        var first = lastSeq - updates.Count + 1;
        statements.Id.Value = documentId;
        statements.InsertUpdate.Transaction = tx;
        for (var i = 0; i < updates.Count; i++)
        {
            var u = updates[i];
            statements.Seq.Value = first + i;
            statements.Payload.Value = u.Payload;
            statements.At.Value = UnixTime.ToMicros(u.ReceivedAt);
            statements.Origin.Value = (object?)u.Origin ?? DBNull.Value;
            statements.InsertUpdate.ExecuteNonQuery();
        }

        return lastSeq;
    }

    private int CompactLocked(SqliteConnection c, DocumentKey key, byte[] snapshot, long upToSeq)
    {
        using var tx = c.BeginTransaction(deferred: false);
        long documentId, lastSeq, compactedSeq;
        using (var find = Command(c, tx, "SELECT id, last_seq, compacted_seq FROM documents WHERE workspace = $w AND name = $n"))
        {
            AddKey(find, key);
            using var r = find.ExecuteReader();
            if (!r.Read()) throw StoreErrors.NotFound(key);
            (documentId, lastSeq, compactedSeq) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }
        if (upToSeq > lastSeq) throw StoreErrors.CompactionPastEnd(key, upToSeq, lastSeq);
        if (upToSeq <= compactedSeq) return 0; // a stale or repeated compaction: the stored snapshot already covers it

        using (var cmd = Command(c, tx, $"""
            DELETE FROM document_snapshots WHERE document_id = $id AND kind = '{DocumentSnapshotsTable.Compaction}';
            INSERT INTO document_snapshots (document_id, kind, seq, created_at, state)
            VALUES ($id, '{DocumentSnapshotsTable.Compaction}', $upTo, $now, $state);
            INSERT INTO document_history (document_id, seq, received_at, size, origin)
            SELECT document_id, seq, received_at, length(payload), origin FROM document_updates WHERE document_id = $id AND seq <= $upTo;
            DELETE FROM document_updates WHERE document_id = $id AND seq <= $upTo;
            """))
        {
            cmd.Parameters.AddWithValue("$id", documentId);
            cmd.Parameters.AddWithValue("$upTo", upToSeq);
            cmd.Parameters.AddWithValue("$now", UnixTime.ToMicros(DateTimeOffset.UtcNow));
            cmd.Parameters.Add("$state", SqliteType.Blob).Value = snapshot;
            cmd.ExecuteNonQuery();
        }

        // Re-checks the versions read above in the statement that moves the compaction mark.
        using (var mark = Command(c, tx, """
            UPDATE documents SET
                compacted_seq = $upTo,
                size_bytes = $snapshotBytes + coalesce((SELECT sum(length(payload)) FROM document_updates WHERE document_id = $id), 0)
            WHERE id = $id AND compacted_seq < $upTo AND last_seq >= $upTo
            """))
        {
            mark.Parameters.AddWithValue("$id", documentId);
            mark.Parameters.AddWithValue("$upTo", upToSeq);
            mark.Parameters.AddWithValue("$snapshotBytes", (long)snapshot.Length);
            if (mark.ExecuteNonQuery() != 1)
                throw StoreErrors.CompactionRace(key);
        }

        ((IStoreHooks)this).Fault?.Invoke(FaultPoints.CompactBeforeCommit);
        tx.Commit();
        return 1;
    }

    private bool DeleteLocked(SqliteConnection c, DocumentKey key)
    {
        using var tx = c.BeginTransaction(deferred: false);
        long documentId;
        using (var find = Command(c, tx, "SELECT id FROM documents WHERE workspace = $w AND name = $n"))
        {
            AddKey(find, key);
            if (find.ExecuteScalar() is not long id) return false;
            documentId = id;
        }
        using (var cmd = Command(c, tx, """
            DELETE FROM document_updates WHERE document_id = $id;
            DELETE FROM document_history WHERE document_id = $id;
            DELETE FROM document_snapshots WHERE document_id = $id;
            DELETE FROM documents WHERE id = $id;
            """))
        {
            cmd.Parameters.AddWithValue("$id", documentId);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return true;
    }

    private static void AddKey(SqliteCommand cmd, DocumentKey key)
    {
        cmd.Parameters.AddWithValue("$w", key.Workspace);
        cmd.Parameters.AddWithValue("$n", key.Document);
    }
}
