using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

// Group commit across documents. Every AppendAsync queues its batch; one writer loop takes everything queued (up to a
// cap) and writes it in ONE transaction, so one fsync covers the appends of every document that arrived while the
// previous transaction was committing. Each caller's task completes only once that transaction has committed, with
// the seq of its own last update: per caller nothing changes (durable when acknowledged, seqs contiguous and
// ascending per document, one caller's updates together and in order).
//
// Failures: if an append fails inside a shared transaction (or the fault hook throws there), the transaction is rolled
// back and every append of it is retried in a transaction of its own, so only the one that fails again fails. If the
// shared COMMIT itself fails, every append of that transaction fails (nothing of it is acknowledged; the server's
// callers resend through the sync handshake). An append whose token is cancelled before the loop takes it is never
// written; once taken, it completes with the transaction's outcome.
public sealed partial class SqliteDocumentStore
{
    // Bounds one shared transaction; the first append is always taken, however large.
    private const int MaxAppendsPerTransaction = 1024;
    private const long MaxBytesPerTransaction = 32L << 20;

    public async Task<long> AppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Updates(updates);
        ct.ThrowIfCancellationRequested();
        if (!_migrated) await MigrateAsync(ct).ConfigureAwait(false); // on the store's thread, not the caller's

        return await _appendQueue.AppendAsync(key, updates, ct, this).ConfigureAwait(false);
    }

    // created with the store; its loop starts at the first append
    private readonly GroupCommitQueue _appendQueue;

    /// <summary>Transactions the append loop has committed with more than one append in them (for tests).</summary>
    internal long SharedAppendTransactions;

    // Called by DisposeAsync: appends queued before it are written first.
    private Task StopAppendLoopAsync() => _appendQueue.StopAsync();

    // Runs on the group-commit thread (the queue's blocking writer), which waits for the lock rather than awaiting it:
    // an await would continue the commit on a thread-pool worker whenever a compaction held the lock.
    private Task WriteBatchAsync(List<PendingAppend> batch)
    {
        _writeLock.Wait();
        try
        {
            WriteAppends(batch);
        }
        finally
        {
            _writeLock.Release();
        }
        return Task.CompletedTask;
    }

    // Runs under _writeLock. Completes every append of the batch.
    private void WriteAppends(List<PendingAppend> batch)
    {
        if (batch.Count == 1)
        {
            WriteAlone(batch[0]);
            return;
        }

        var seqs = new long[batch.Count];
        SqliteTransaction? tx = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= OpenWriter();
            tx = _writer.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++) seqs[i] = AppendInTransaction(_writer, tx, batch[i].Key, batch[i].Updates);
            ((IStoreHooks)this).Fault?.Invoke(FaultPoints.AppendBeforeCommit);
        }
        catch (Exception e)
        {
            // Nothing of this transaction is kept. Retry each append alone, so that one bad append fails only its caller.
            Discard(tx, e);
            foreach (var p in batch) WriteAlone(p);
            return;
        }

        try
        {
            tx.Commit();
        }
        catch (Exception e)
        {
            Discard(tx, e);
            var error = e is SqliteException se ? SqliteErrors.Translate(se, DatabasePath) : e;
            foreach (var p in batch) p.Done.TrySetException(error);
            return;
        }

        tx.Dispose();
        SharedAppendTransactions++;
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(seqs[i]);
    }

    // One append in a transaction of its own, with the store's usual error handling (see Write).
    private void WriteAlone(PendingAppend p)
    {
        try
        {
            p.Done.TrySetResult(Write(c => AppendLocked(c, p.Key, p.Updates)));
        }
        catch (Exception e)
        {
            p.Done.TrySetException(e);
        }
    }

    /// <summary>The group commit's appends for scratch documents on the writer connection, in a transaction rolled back.</summary>
    public Task WarmUpAsync(CancellationToken ct = default) =>
        WriteAsync(c =>
        {
            using var tx = c.BeginTransaction(deferred: false);
            foreach (var p in WarmUpBatch.Create()) AppendInTransaction(c, tx, p.Key, p.Updates);
            tx.Rollback();
            return 0;
        }, ct);

    // Rolls back a failed shared transaction. After a database error (or a failed rollback) the connection's state is
    // unknown: drop it, and the next write opens a fresh one, as Write does.
    private void Discard(SqliteTransaction? tx, Exception cause)
    {
        var drop = cause is SqliteException;
        try
        {
            tx?.Dispose();
        }
        catch (Exception)
        {
            drop = true;
        }
        if (drop)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
