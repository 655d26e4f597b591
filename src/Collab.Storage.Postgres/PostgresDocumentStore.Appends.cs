using Npgsql;

namespace Collab.Storage.Postgres;

// Group commit across documents, as the SQLite store does it. Every append queues; one writer loop takes everything
// queued (up to a cap) and writes it in ONE transaction, all statements in one round trip (NpgsqlBatch), so one
// commit (one WAL flush) covers every document that appended meanwhile. Before, each document committed its own
// transaction: under load that was thousands of commits a second, and PostgreSQL's CPU starved everything else.
//
// Per caller nothing changes: its task completes once the transaction holding its append has committed, with the
// seq of its own last update. Statements run in (workspace, document) order, a stable sort that keeps one
// document's appends in the order they were queued, so two Collab nodes batching into one database take row locks in
// the same order. If a statement fails (or the fault hook throws), the transaction is rolled back and each append
// is retried alone, so only the one that fails again fails; if COMMIT itself fails, its outcome is unknown and every
// append of it fails (the server's callers resend through the sync handshake, which is idempotent).
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

    // Called by DisposeAsync: appends queued before it are written first.
    private Task StopAppendLoopAsync() => _appendQueue.StopAsync();

    private async Task WriteAppendsAsync(List<PendingAppend> batch)
    {
        if (batch.Count == 1)
        {
            await WriteAloneAsync(batch[0]).ConfigureAwait(false);
            return;
        }

        var ordered = batch.OrderBy(p => p.Key.Workspace, StringComparer.Ordinal).ThenBy(p => p.Key.Document, StringComparer.Ordinal).ToList();
        var committing = false;
        long[] seqs;
        try
        {
            seqs = await RunAsync(async (c, ct) =>
            {
                await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
                var result = await ExecuteAppendsAsync(c, tx, ordered, ct).ConfigureAwait(false);
                ((IStoreHooks)this).Fault?.Invoke(FaultPoints.AppendBeforeCommit);
                committing = true;
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception) when (!committing)
        {
            // nothing of the shared transaction was kept: each append alone, so one bad append fails only its caller
            foreach (var p in ordered) await WriteAloneAsync(p).ConfigureAwait(false);
            return;
        }
        catch (Exception e)
        {
            foreach (var p in ordered) p.Done.TrySetException(e);
            return;
        }

        Interlocked.Increment(ref SharedAppendTransactions);
        for (var i = 0; i < ordered.Count; i++) ordered[i].Done.TrySetResult(seqs[i]);
    }

    private async Task WriteAloneAsync(PendingAppend p)
    {
        try
        {
            var seq = await RunAsync(async (c, ct) =>
            {
                await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
                var result = await ExecuteAppendsAsync(c, tx, [p], ct).ConfigureAwait(false);
                ((IStoreHooks)this).Fault?.Invoke(FaultPoints.AppendBeforeCommit);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return result[0];
            }, CancellationToken.None).ConfigureAwait(false);
            p.Done.TrySetResult(seq);
        }
        catch (Exception e)
        {
            p.Done.TrySetException(e);
        }
    }

    // All the appends' statements in one round trip; each returns one row, its document's last seq.
    private static async Task<long[]> ExecuteAppendsAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<PendingAppend> appends, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var p in appends) batch.BatchCommands.Add(AppendCommand(p.Key, p.Updates));
        var seqs = new long[appends.Count];
        await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        for (var i = 0; i < appends.Count; i++)
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) throw new InvalidOperationException($"The append to {appends[i].Key} returned no sequence number.");
            seqs[i] = r.GetInt64(0);
            await r.NextResultAsync(ct).ConfigureAwait(false);
        }

        return seqs;
    }
}
