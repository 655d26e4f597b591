using System.Threading.Channels;

namespace Collab.Storage;

/// <summary>
/// The group commit both stores use: every append is queued, and one loop takes everything queued (up to a count
/// and a byte cap; the first append always, however large) and hands it to the store's writer as one batch, which
/// it writes in one transaction and completes append by append. Appends cancelled while queued are never written;
/// once taken, an append completes with its transaction's outcome.
/// </summary>
internal sealed class GroupCommitQueue(Func<List<PendingAppend>, Task> writeBatch, int maxAppends, long maxBytes)
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
            loop = _loop ??= Task.Run(LoopAsync);
        }
        await loop.ConfigureAwait(false);
    }

    private void EnsureLoop()
    {
        if (Volatile.Read(ref _loop) is not null) return;
        lock (_loopStart)
        {
            _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        var reader = _appends.Reader;
        var batch = new List<PendingAppend>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            long bytes = 0;
            while (batch.Count < maxAppends && bytes < maxBytes && reader.TryRead(out var p))
            {
                if (!p.TryClaim()) continue; // cancelled while queued: never written
                batch.Add(p);
                bytes += StoreGuard.PayloadBytes(p.Updates);
            }
            if (batch.Count == 0) continue;

            try
            {
                await writeBatch(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // the writer completes every append itself; this only guards against a bug leaving a caller hanging
                foreach (var p in batch) p.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }
}
