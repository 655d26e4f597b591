using System.Threading.Channels;

namespace Collab.Storage;

/// <summary>
/// The group commit both stores use: every append is queued, and one loop takes everything queued (up to a count
/// and a byte cap; the first append always, however large) and hands it to the store's writer as one batch, which
/// it writes in one transaction and completes append by append. Appends cancelled while queued are never written;
/// once taken, an append completes with its transaction's outcome.
/// </summary>
/// <remarks>
/// A store whose writer blocks (SQLite's commit is synchronous file I/O and an fsync) passes
/// <paramref name="blockingWriter"/>: the loop then runs on a thread of its own, so that a commit never takes one of
/// the few thread-pool workers that every connection and document depends on.
/// </remarks>
internal sealed class GroupCommitQueue(Func<List<PendingAppend>, Task> writeBatch, int maxAppends, long maxBytes, bool blockingWriter = false)
{
    private readonly Channel<PendingAppend> _appends =
        Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _loopStart = new();
    private Task? _loop;

    /// <summary>Queues the append and waits for its transaction; the seq of its last update.</summary>
    public async Task<long> AppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct, object owner)
    {
        using var pending = new PendingAppend(key, updates, ct);
        EnsureLoop();
        if (!_appends.Writer.TryWrite(pending)) throw new ObjectDisposedException(owner.GetType().FullName);
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Refuses new appends and waits until every queued one is written (or failed).</summary>
    public async Task StopAsync()
    {
        _appends.Writer.TryComplete();
        Task loop;
        lock (_loopStart)
        {
            // no loop yet: start one anyway, so that an append queued in a race with stopping still completes
            loop = _loop ??= StartLoop();
        }
        await loop.ConfigureAwait(false);
    }

    private void EnsureLoop()
    {
        if (Volatile.Read(ref _loop) is not null) return;
        lock (_loopStart)
        {
            _loop ??= StartLoop();
        }
    }

    // LongRunning: a thread of its own, not a pool worker
    private Task StartLoop() => blockingWriter
        ? Task.Factory.StartNew(BlockingLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
        : Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await _appends.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!TakeBatch(batch)) continue;
            try
            {
                await writeBatch(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                FailUncompleted(batch, e);
            }
            batch.Clear();
        }
    }

    // The same loop on its own thread, waiting (not awaiting) so that the writes stay on it.
    private void BlockingLoop()
    {
        var batch = new List<PendingAppend>();
        while (_appends.Reader.TryPeek(out _) || _appends.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (!TakeBatch(batch)) continue;
            try
            {
                writeBatch(batch).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                FailUncompleted(batch, e);
            }
            batch.Clear();
        }
    }

    // Everything queued, up to the caps (the first append always); false when all of it was cancelled.
    private bool TakeBatch(List<PendingAppend> batch)
    {
        long bytes = 0;
        while (batch.Count < maxAppends && bytes < maxBytes && _appends.Reader.TryRead(out var p))
        {
            if (!p.TryClaim()) continue; // cancelled while queued: never written
            batch.Add(p);
            bytes += StoreGuard.PayloadBytes(p.Updates);
        }
        return batch.Count > 0;
    }

    // The writer completes every append itself; this only guards against a bug leaving a caller hanging.
    private static void FailUncompleted(List<PendingAppend> batch, Exception e)
    {
        foreach (var p in batch) p.Done.TrySetException(e);
    }
}
