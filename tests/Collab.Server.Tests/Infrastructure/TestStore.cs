using System.Collections.Concurrent;
using Collab.Server.Storage;
using Collab.Storage;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>
/// A store with the seams the tests need: a gate that holds appends, failure switches, a call log. In memory by default;
/// over SQLite or PostgreSQL for the tests that run on both backends. Passes the catalog and named snapshots through.
/// </summary>
internal sealed class TestStore(IDocumentStore? inner = null) : IDocumentStore, IDocumentCatalog, INamedSnapshotStore, IStoreWarmUp
{
    private readonly IDocumentStore _inner = inner ?? new InMemoryDocumentStore();
    private volatile TaskCompletionSource? _appendGate;

    public ConcurrentQueue<int> AppendBatchSizes { get; } = new();

    public ConcurrentQueue<long> Compactions { get; } = new();

    public int Loads => _loads;

    private int _loads;

    public bool FailLoads { get; set; }

    public bool FailAppends { get; set; }

    public bool FailPing { get; set; }

    /// <summary>Holds every append until <see cref="ReleaseAppends"/>.</summary>
    public void HoldAppends() => _appendGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held appends through; they reach the backend one at a time, in the order they were called.</summary>
    public void ReleaseAppends()
    {
        var gate = _appendGate;
        _appendGate = null;
        gate?.TrySetResult();
    }

    /// <summary>
    /// Lets the <paramref name="count"/> held appends through as <see cref="ReleaseAppends"/> does, but hands their
    /// results back last first, <paramref name="gap"/> apart: as when a store commits appends in order and the callers'
    /// continuations run in another.
    /// </summary>
    public void ReleaseAppendsLastFirst(int count, TimeSpan gap)
    {
        var returns = new BlockingReturns(count, gap);
        _returns = returns;
        ReleaseAppends();
        _ = returns.RunAsync(() => _returns = null);
    }

    public int PendingAppends => _pendingAppends;

    private int _pendingAppends;

    // Appends reach the backend in the order they were called, as with every real store (the host relies on it):
    // each waits for the one called before it.
    private readonly Lock _order = new();
    private Task _lastAppend = Task.CompletedTask;
    private volatile BlockingReturns? _returns;

    public Task MigrateAsync(CancellationToken ct = default) => _inner.MigrateAsync(ct);

    /// <summary>Warm-up rounds the server ran (passed to the backend when it has them).</summary>
    public int WarmUpRounds => _warmUpRounds;

    private int _warmUpRounds;

    public Task WarmUpAsync(CancellationToken ct = default)
    {
        Interlocked.Increment(ref _warmUpRounds);
        return _inner is IStoreWarmUp warm ? warm.WarmUpAsync(ct) : Task.CompletedTask;
    }

    public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(!FailPing);

    public Task<StoredDocument?> LoadAsync(DocumentKey key, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _loads);
        if (FailLoads)
        {
            throw new IOException("storage is down (test)");
        }

        return _inner.LoadAsync(key, ct);
    }

    public async Task<long> AppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _pendingAppends);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_order)
        {
            previous = _lastAppend;
            _lastAppend = done.Task;
        }

        try
        {
            long seq;
            try
            {
                if (_appendGate is { } gate)
                {
                    await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                }

                await previous;
                if (FailAppends)
                {
                    throw new IOException("disk full (test)");
                }

                AppendBatchSizes.Enqueue(updates.Count);
                seq = await _inner.AppendAsync(key, updates, ct);
            }
            finally
            {
                done.TrySetResult();
            }

            if (_returns is { } returns)
            {
                await returns.WaitForTurnAsync();
            }

            return seq;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingAppends);
        }
    }

    private sealed class BlockingReturns(int count, TimeSpan gap)
    {
        private readonly List<TaskCompletionSource> _waiting = [];
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WaitForTurnAsync()
        {
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiting)
            {
                _waiting.Add(turn);
                if (_waiting.Count == count)
                {
                    _allArrived.TrySetResult();
                }
            }

            return turn.Task;
        }

        public async Task RunAsync(Action finished)
        {
            await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            finished();
            for (int i = count - 1; i >= 0; i--)
            {
                _waiting[i].TrySetResult();
                await Task.Delay(gap);
            }
        }
    }

    /// <summary>Holds every compaction until <see cref="ReleaseCompactions"/>.</summary>
    public void HoldCompactions() => _compactionGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseCompactions()
    {
        var gate = _compactionGate;
        _compactionGate = null;
        gate?.TrySetResult();
    }

    public int PendingCompactions => _pendingCompactions;

    private int _pendingCompactions;
    private volatile TaskCompletionSource? _compactionGate;

    public async Task CompactAsync(DocumentKey key, byte[] snapshot, long upToSeq, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _pendingCompactions);
        try
        {
            if (_compactionGate is { } gate)
            {
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            }

            Compactions.Enqueue(upToSeq);
            await _inner.CompactAsync(key, snapshot, upToSeq, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingCompactions);
        }
    }

    public Task<bool> DeleteAsync(DocumentKey key, CancellationToken ct = default) => _inner.DeleteAsync(key, ct);

    public Task<StoredDocument?> PeekAsync(DocumentKey key) => _inner.LoadAsync(key);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Disposes the backend (the server does not own it: tests restart servers on the same store).</summary>
    public ValueTask DisposeInnerAsync() => _inner.DisposeAsync();

    private IDocumentCatalog Catalog => (IDocumentCatalog)_inner;

    private INamedSnapshotStore Named => (INamedSnapshotStore)_inner;

    public Task<DocumentInfo?> GetInfoAsync(DocumentKey key, CancellationToken ct = default) => Catalog.GetInfoAsync(key, ct);

    public Task<IReadOnlyList<string>> ListWorkspacesAsync(string? after, int limit, CancellationToken ct = default) =>
        Catalog.ListWorkspacesAsync(after, limit, ct);

    public Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string workspace, string? after, int limit, CancellationToken ct = default) =>
        Catalog.ListDocumentsAsync(workspace, after, limit, ct);

    public Task<IReadOnlyList<StoredUpdate>> ReadLogAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default) =>
        Catalog.ReadLogAsync(key, afterSeq, limit, ct);

    public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default) =>
        Catalog.ReadHistoryAsync(key, afterSeq, limit, ct);

    public Task<NamedSnapshotInfo> SaveNamedSnapshotAsync(
        DocumentKey key, long seq, string label, string? author, byte[] state, byte[] stateVector, CancellationToken ct = default) =>
        Named.SaveNamedSnapshotAsync(key, seq, label, author, state, stateVector, ct);

    public Task<IReadOnlyList<NamedSnapshotInfo>> ListNamedSnapshotsAsync(DocumentKey key, CancellationToken ct = default) =>
        Named.ListNamedSnapshotsAsync(key, ct);

    public Task<NamedSnapshot?> GetNamedSnapshotAsync(DocumentKey key, long id, CancellationToken ct = default) =>
        Named.GetNamedSnapshotAsync(key, id, ct);
}
