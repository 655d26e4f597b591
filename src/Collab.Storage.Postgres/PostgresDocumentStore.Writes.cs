using Collab.Storage.Postgres.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Collab.Storage.Postgres;

// The write transactions. A crash or a dropped connection at any point rolls the open transaction back, so a
// reader sees either the old or the new state.
public sealed partial class PostgresDocumentStore
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await RunAsync(async (c, ct) =>
        {
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            // Serializes concurrent start-ups against the same schema; released at commit or rollback.
            await Exec(c, "SELECT pg_advisory_xact_lock(hashtext(@lock))", ct,
                new NpgsqlParameter<string>("lock", "collab.schema_migrations:" + (_schema ?? "(search_path)"))).ConfigureAwait(false);
            if (_schema is not null) await Exec(c, $"CREATE SCHEMA IF NOT EXISTS \"{_schema}\"", ct).ConfigureAwait(false);
            await Exec(c, SchemaMigrationsTable.CreateIfMissing, ct).ConfigureAwait(false);

            long current;
            await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0)::bigint FROM schema_migrations", c))
                current = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            if (current > PostgresMigrations.Latest)
                throw StoreErrors.SchemaTooNew(current, PostgresMigrations.Latest,
                    $"PostgreSQL database '{_settings.Database}'" + (_schema is null ? "" : $", schema '{_schema}',"));

            foreach (var m in PostgresMigrations.All)
            {
                if (m.Version <= current) continue;
                await Exec(c, m.Sql, ct).ConfigureAwait(false);
                await Exec(c, "INSERT INTO schema_migrations (version, name) VALUES (@v, @n)", ct,
                    new NpgsqlParameter<int>("v", m.Version), new NpgsqlParameter<string>("n", m.Name)).ConfigureAwait(false);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
            _migrated = true;
            return 0;
        }, ct, migrate: false).ConfigureAwait(false);
    }

    public async Task<long> AppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Updates(updates);
        if (updates.Count == 0)
            return await RunAsync(async (c, ct) => (await ReadInfoAsync(c, key, ct).ConfigureAwait(false))?.LastSeq ?? 0, ct).ConfigureAwait(false);

        ct.ThrowIfCancellationRequested();
        return await QueueAppendAsync(key, updates, ct).ConfigureAwait(false);
    }

    public async Task CompactAsync(DocumentKey key, byte[] snapshot, long upToSeq, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Compaction(snapshot, upToSeq);
        await RunAsync(async (c, ct) =>
        {
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            long documentId, lastSeq, compactedSeq;
            await using (var find = new NpgsqlCommand(
                "SELECT id, last_seq, compacted_seq FROM documents WHERE workspace = @w AND name = @n FOR UPDATE", c, tx))
            {
                AddKey(find, key);
                await using var r = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw StoreErrors.NotFound(key);
                (documentId, lastSeq, compactedSeq) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
            }
            if (upToSeq > lastSeq) throw StoreErrors.CompactionPastEnd(key, upToSeq, lastSeq);
            if (upToSeq <= compactedSeq) return 0; // stale or repeated: the stored snapshot already covers it

            // The rest in one round trip (each statement sees the ones before it): replace the compaction snapshot,
            // move the covered entries' metadata from the log to the history in one pass, and move the mark, which
            // re-checks the versions read above.
            await using var batch = new NpgsqlBatch(c, tx);
            var delete = new NpgsqlBatchCommand($"DELETE FROM document_snapshots WHERE document_id = @id AND kind = '{DocumentSnapshotsTable.Compaction}'");
            var insert = new NpgsqlBatchCommand($"""
                INSERT INTO document_snapshots (document_id, kind, seq, created_at, state)
                VALUES (@id, '{DocumentSnapshotsTable.Compaction}', @upTo, now(), @state)
                """);
            var retire = new NpgsqlBatchCommand("""
                WITH retired AS (
                    DELETE FROM document_updates WHERE document_id = @id AND seq <= @upTo
                    RETURNING seq, received_at, length(payload) AS size, origin
                )
                INSERT INTO document_history (document_id, seq, received_at, size, origin)
                SELECT @id, seq, received_at, size, origin FROM retired
                """);
            var mark = new NpgsqlBatchCommand("""
                UPDATE documents SET
                    compacted_seq = @upTo,
                    size_bytes = @snapshotBytes + coalesce((SELECT sum(length(payload)) FROM document_updates WHERE document_id = @id), 0)
                WHERE id = @id AND compacted_seq < @upTo AND last_seq >= @upTo
                """);
            foreach (var command in new[] { delete, insert, retire, mark })
            {
                command.Parameters.Add(new NpgsqlParameter<long>("id", documentId));
                if (command != delete) command.Parameters.Add(new NpgsqlParameter<long>("upTo", upToSeq));
                batch.BatchCommands.Add(command);
            }
            insert.Parameters.Add(new NpgsqlParameter<byte[]>("state", snapshot));
            mark.Parameters.Add(new NpgsqlParameter<long>("snapshotBytes", snapshot.Length));
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            if (mark.RecordsAffected != 1) throw StoreErrors.CompactionRace(key);

            ((IStoreHooks)this).Fault?.Invoke(FaultPoints.CompactBeforeCommit);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return 1;
        }, ct).ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        // The row first: deleting it waits for an append that holds it, and an append arriving later waits for this
        // transaction and then creates a new row (a new id). The log and the history have no foreign key (migration 4):
        // they go in a second statement, whose snapshot is taken after the row was deleted, so it sees every log row
        // an append wrote under that id. The snapshots go with the row (ON DELETE CASCADE).
        return RunAsync(async (c, ct) =>
        {
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            long? id;
            await using (var row = new NpgsqlCommand("DELETE FROM documents WHERE workspace = @w AND name = @n RETURNING id", c, tx))
            {
                AddKey(row, key);
                id = (long?)await row.ExecuteScalarAsync(ct).ConfigureAwait(false);
            }
            if (id is null) return false;

            await Exec(c, "DELETE FROM document_updates WHERE document_id = @id; DELETE FROM document_history WHERE document_id = @id", ct,
                new NpgsqlParameter<long>("id", id.Value)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);
    }

    private static async Task<int> Exec(NpgsqlConnection c, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        cmd.Parameters.AddRange(parameters);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
