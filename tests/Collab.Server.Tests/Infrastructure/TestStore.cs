using System.Collections.Concurrent;
using Collab.Server.Storage;
using Collab.Storage;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>
/// A store with the seams the tests need: a gate that holds appends, failure switches, a call log. In memory by default;
/// over SQLite or PostgreSQL for the tests that run on both backends. Passes the catalog and named snapshots through.
/// </summary>
internal sealed class TestStore(IDocumentStore? inner = null) : IDocumentStore, IDocumentCatalog, INamedSnapshotStore
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

    public void ReleaseAppends()
    {
        var gate = _appendGate;
        _appendGate = null;
        gate?.TrySetResult();
    }

    public int PendingAppends => _pendingAppends;

    private int _pendingAppends;

    public Task MigrateAsync(CancellationToken ct = default) => _inner.MigrateAsync(ct);

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
        try
        {
            if (_appendGate is { } gate)
            {
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            }

            if (FailAppends)
            {
                throw new IOException("disk full (test)");
            }

            AppendBatchSizes.Enqueue(updates.Count);
            return await _inner.AppendAsync(key, updates, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingAppends);
        }
    }

    public Task CompactAsync(DocumentKey key, byte[] snapshot, long upToSeq, CancellationToken ct = default)
    {
        Compactions.Enqueue(upToSeq);
        return _inner.CompactAsync(key, snapshot, upToSeq, ct);
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
