using Npgsql;
using NpgsqlTypes;

namespace Collab.Storage.Postgres;

// Group commit across documents, as the SQLite store does it. Every append queues; one writer loop takes everything
// queued (up to a cap) and writes it with ONE statement in ONE round trip: the statement creates or locks each
// document's row, advances its version by the number of updates it gets, and inserts every update with the sequence
// number that claim gave it. A single statement outside an explicit transaction is its own transaction, so the
// whole group commits with one WAL flush or not at all, and PostgreSQL parses and plans once per group instead of
// once per document (prepared, not even that). Before, each document committed its own transaction; then each
// group was a transaction of one statement per document plus a separate COMMIT: two round trips, and parsing and
// planning per document were most of PostgreSQL's CPU.
//
// Per caller nothing changes: its task completes once the statement holding its append has committed, with the seq
// of its own last update. Documents are locked in (workspace, document) order, so two Collab nodes batching into one
// database take row locks in the same order; one document's appends keep the order they were queued in. If
// PostgreSQL reports an error, the statement (and with it the group) was rolled back, and each append is retried
// alone, so only the one that fails again fails. Any other failure (the connection broke, a timeout) leaves the
// outcome unknown and fails every append of the group (the server's callers resend through the sync handshake,
// which is idempotent).
public sealed partial class PostgresDocumentStore
{
    private const int MaxAppendsPerTransaction = 256;
    private const long MaxBytesPerTransaction = 16L << 20;

    // created with the store; its loop starts at the first append
    private readonly GroupCommitQueue _appendQueue;

    /// <summary>Transactions the append loop has committed with more than one append in them (for tests).</summary>
    internal long SharedAppendTransactions;

    private Task<long> QueueAppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct) =>
        _appendQueue.AppendAsync(key, updates, ct, this);

    // The group-commit thread's own connection, opened at the first append and kept: every group commit runs on the
    // same PostgreSQL backend, whose caches and prepared statement stay warm. Rented from the pool per group commit,
    // each commit took the connection idle longest (the pool hands them out in turn), so after start-up, when the
    // document loads have opened dozens, the appends went round all of their backends, each parsing, planning and
    // filling its catalog caches for the statement once. Only the group-commit thread touches it; dropped after any
    // failure but an error PostgreSQL reported for the statement (the connection may be broken), reopened by the next.
    private NpgsqlConnection? _appendConnection;

    // Called by DisposeAsync: appends queued before it are written first.
    private async Task StopAppendLoopAsync()
    {
        await _appendQueue.StopAsync().ConfigureAwait(false);
        DropAppendConnection();
    }

    private void DropAppendConnection()
    {
        _appendConnection?.Dispose();
        _appendConnection = null;
    }

    // Runs on the group-commit thread (the queue's blocking writer), with Npgsql's synchronous calls: the thread sleeps
    // in the socket read and PostgreSQL's answer wakes it directly, and the appends it completes continue from the
    // thread pool's global queue in arrival order. Awaited on the pool instead, the answer came back through a
    // pool work item, and the appends completed there queued their continuations on that worker's local queue,
    // which it runs newest first.
    private Task WriteAppends(List<PendingAppend> batch)
    {
        if (batch.Count == 1)
        {
            WriteAlone(batch[0]);
            return Task.CompletedTask;
        }

        var ordered = batch.OrderBy(p => p.Key.Workspace, StringComparer.Ordinal).ThenBy(p => p.Key.Document, StringComparer.Ordinal).ToList();
        long[] seqs;
        var sent = false;
        try
        {
            ((IStoreHooks)this).Fault?.Invoke(FaultPoints.AppendBeforeCommit);
            sent = true;
            seqs = ExecuteAppends(ordered);
        }
        catch (Exception e) when (!sent || RolledBack(e))
        {
            // nothing of the group was kept: each append alone, so one bad append fails only its caller
            foreach (var p in ordered) WriteAlone(p);
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            foreach (var p in ordered) p.Done.TrySetException(e);
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref SharedAppendTransactions);
        for (var i = 0; i < ordered.Count; i++) ordered[i].Done.TrySetResult(seqs[i]);
        return Task.CompletedTask;
    }

    private void WriteAlone(PendingAppend p)
    {
        try
        {
            ((IStoreHooks)this).Fault?.Invoke(FaultPoints.AppendBeforeCommit);
            p.Done.TrySetResult(ExecuteAppends([p])[0]);
        }
        catch (Exception e)
        {
            p.Done.TrySetException(e);
        }
    }

    /// <summary>
    /// The group commit's statement for scratch documents, with the same synchronous calls as the group-commit thread, in
    /// a transaction rolled back (on a pooled connection, not the group-commit thread's own).
    /// </summary>
    public async Task WarmUpAsync(CancellationToken ct = default)
    {
        await EnsureMigratedAsync(ct).ConfigureAwait(false);
        await Task.Run(() =>
        {
            using var c = _dataSource.OpenConnection();
            using var tx = c.BeginTransaction();
            new GroupAppend(WarmUpBatch.Create()).Execute(c, tx);
            tx.Rollback();
        }, ct).ConfigureAwait(false);
    }

    // PostgreSQL reported an error for the statement: it was rolled back. Anything else may have struck after the
    // commit.
    private static bool RolledBack(Exception e) => e is StorageException { InnerException: PostgresException };

    // One round trip: the statement for all the appends (in the order given, which keeps one document's appends in
    // their order) and its rows, one per document: the document's position in the statement and its new last seq.
    private long[] ExecuteAppends(IReadOnlyList<PendingAppend> appends)
    {
        var statement = new GroupAppend(appends);
        try
        {
            // once, at the first append; on this thread of its own, blocking on it holds no pool worker
            if (!_migrated) MigrateAsync().GetAwaiter().GetResult();
            // PostgreSQL ended it and Npgsql noticed (nothing was sent on it): a new one, as at the first append
            if (_appendConnection is { State: not System.Data.ConnectionState.Open }) DropAppendConnection();
            return statement.Execute(_appendConnection ??= _dataSource.OpenConnection());
        }
        catch (PostgresException e)
        {
            throw PostgresErrors.Translate(e, _settings); // the statement failed; the connection is fine
        }
        catch (Exception e)
        {
            DropAppendConnection();
            if (e is NpgsqlException n) throw PostgresErrors.Translate(n, _settings);
            throw;
        }
    }

    /// <summary>
    /// The parameters of one group's statement: one entry per document (consecutive appends to the same document
    /// share it, their updates numbered on in order) and one per update.
    /// </summary>
    private sealed class GroupAppend
    {
        private const string Sql = """
            WITH input AS (
                SELECT * FROM unnest(@workspaces::text[], @names::text[], @counts::bigint[], @bytes::bigint[])
                    WITH ORDINALITY AS i (workspace, name, count, bytes, ord)
            ), doc AS (
                INSERT INTO documents AS d (workspace, name, created_at, updated_at, size_bytes, last_seq)
                SELECT workspace, name, @now, @now, bytes, count FROM input ORDER BY ord
                ON CONFLICT (workspace, name) DO UPDATE SET
                    last_seq   = d.last_seq + excluded.last_seq,
                    size_bytes = d.size_bytes + excluded.size_bytes,
                    updated_at = excluded.updated_at
                RETURNING d.id, d.workspace, d.name, d.last_seq
            ), claimed AS (
                SELECT input.ord, input.count, doc.id, doc.last_seq
                FROM input JOIN doc ON doc.workspace = input.workspace AND doc.name = input.name
            ), appended AS (
                INSERT INTO document_updates (document_id, seq, payload, received_at, origin)
                SELECT claimed.id, claimed.last_seq - claimed.count + u.position, u.payload, u.received_at, u.origin
                FROM unnest(@update_docs::int[], @positions::bigint[], @payloads::bytea[], @received_at::timestamptz[], @origins::text[])
                    AS u (ord, position, payload, received_at, origin)
                JOIN claimed ON claimed.ord = u.ord
            )
            SELECT ord::int, last_seq FROM claimed
            """;

        private readonly List<string> _workspaces = [], _names = [];
        private readonly List<long> _counts = [], _bytes = [];
        private readonly int[] _documentOf; // per append: its document's position (from 1)
        private readonly long[] _positionOf; // per append: its last update's position within its document's updates
        private readonly int[] _updateDocs;
        private readonly long[] _positions;
        private readonly byte[][] _payloads;
        private readonly DateTime[] _receivedAt;
        private readonly string?[] _origins;

        public GroupAppend(IReadOnlyList<PendingAppend> appends)
        {
            var updates = 0;
            foreach (var p in appends) updates += p.Updates.Count;
            (_documentOf, _positionOf) = (new int[appends.Count], new long[appends.Count]);
            (_updateDocs, _positions, _payloads, _receivedAt, _origins) = (new int[updates], new long[updates], new byte[updates][], new DateTime[updates], new string?[updates]);

            var u = 0;
            for (var a = 0; a < appends.Count; a++)
            {
                var p = appends[a];
                if (_workspaces.Count == 0 || _workspaces[^1] != p.Key.Workspace || _names[^1] != p.Key.Document)
                {
                    _workspaces.Add(p.Key.Workspace);
                    _names.Add(p.Key.Document);
                    _counts.Add(0);
                    _bytes.Add(0);
                }
                var d = _workspaces.Count - 1;
                foreach (var update in p.Updates)
                {
                    _updateDocs[u] = d + 1;
                    _positions[u] = ++_counts[d];
                    _payloads[u] = update.Payload;
                    _receivedAt[u] = UnixTime.Truncate(update.ReceivedAt).UtcDateTime;
                    _origins[u] = update.Origin;
                    u++;
                }
                _bytes[d] += StoreGuard.PayloadBytes(p.Updates);
                (_documentOf[a], _positionOf[a]) = (d + 1, _counts[d]);
            }
        }

        public int Documents => _workspaces.Count;

        /// <summary>Runs the statement (prepared on the connection once) and returns each append's seq.</summary>
        public long[] Execute(NpgsqlConnection c, NpgsqlTransaction? tx = null)
        {
            using var cmd = Command(c);
            cmd.Transaction = tx;
            cmd.Prepare(); // once per connection; later calls send nothing
            var lastSeqs = new long[Documents];
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) lastSeqs[r.GetInt32(0) - 1] = r.GetInt64(1);
            }
            return SeqsOf(lastSeqs);
        }

        private NpgsqlCommand Command(NpgsqlConnection c)
        {
            var cmd = new NpgsqlCommand(Sql, c);
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("workspaces", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. _workspaces] });
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. _names] });
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("counts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. _counts] });
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("bytes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. _bytes] });
            cmd.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = UnixTime.Truncate(DateTimeOffset.UtcNow).UtcDateTime });
            cmd.Parameters.Add(new NpgsqlParameter<int[]>("update_docs", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = _updateDocs });
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("positions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = _positions });
            cmd.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = _payloads });
            cmd.Parameters.Add(new NpgsqlParameter<DateTime[]>("received_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = _receivedAt });
            cmd.Parameters.Add(new NpgsqlParameter<string?[]>("origins", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = _origins });
            return cmd;
        }

        // Each append's seq: its document's new last seq, less the updates queued after it for that document.
        private long[] SeqsOf(long[] lastSeqs)
        {
            var seqs = new long[_documentOf.Length];
            for (var a = 0; a < seqs.Length; a++)
            {
                var d = _documentOf[a] - 1;
                if (lastSeqs[d] == 0) throw new InvalidOperationException($"The append to {_workspaces[d]}/{_names[d]} returned no sequence number.");
                seqs[a] = lastSeqs[d] - _counts[d] + _positionOf[a];
            }
            return seqs;
        }
    }
}
