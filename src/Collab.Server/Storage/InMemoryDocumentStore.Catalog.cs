using Collab.Storage;

namespace Collab.Server.Storage;

// The catalog and named snapshots, answered from the same dictionary under the same lock.
public sealed partial class InMemoryDocumentStore : IDocumentCatalog, INamedSnapshotStore
{
    private long _nextSnapshotId;

    public Task<DocumentInfo?> GetInfoAsync(DocumentKey key, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_documents.TryGetValue(key, out var entry) ? Info(key, entry) : null);
        }
    }

    public Task<IReadOnlyList<string>> ListWorkspacesAsync(string? after, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            IReadOnlyList<string> names = _documents.Keys.Select(k => k.Workspace).Distinct()
                .Where(w => after is null || string.CompareOrdinal(w, after) > 0)
                .Order(StringComparer.Ordinal).Take(limit).ToList();
            return Task.FromResult(names);
        }
    }

    public Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string workspace, string? after, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            IReadOnlyList<DocumentInfo> docs = _documents
                .Where(d => d.Key.Workspace == workspace && (after is null || string.CompareOrdinal(d.Key.Document, after) > 0))
                .OrderBy(d => d.Key.Document, StringComparer.Ordinal).Take(limit).Select(d => Info(d.Key, d.Value)).ToList();
            return Task.FromResult(docs);
        }
    }

    public Task<IReadOnlyList<StoredUpdate>> ReadLogAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            IReadOnlyList<StoredUpdate> log = _documents.TryGetValue(key, out var entry)
                ? entry.Log.Where(u => u.Seq > afterSeq).Take(limit).ToList()
                : [];
            return Task.FromResult(log);
        }
    }

    public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            IReadOnlyList<HistoryEntry> history = _documents.TryGetValue(key, out var entry)
                ? entry.History.Where(h => h.Seq > afterSeq).Take(limit).ToList()
                : [];
            return Task.FromResult(history);
        }
    }

    public Task<NamedSnapshotInfo> SaveNamedSnapshotAsync(
        DocumentKey key, long seq, string label, string? author, byte[] state, byte[] stateVector, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        lock (_lock)
        {
            if (!_documents.TryGetValue(key, out var entry))
            {
                throw new StorageException(StorageErrorKind.DocumentNotFound, $"Document {key} does not exist (it was never stored, or was deleted).");
            }

            if (seq > entry.LastSeq)
            {
                throw new StorageException(StorageErrorKind.Conflict, $"Cannot snapshot document {key} at seq {seq}: its log ends at seq {entry.LastSeq}.");
            }

            var info = new NamedSnapshotInfo(++_nextSnapshotId, key, seq, label, author, DateTimeOffset.UtcNow, state.Length);
            entry.Named.Add(new NamedSnapshot(info, state, stateVector));
            return Task.FromResult(info);
        }
    }

    public Task<IReadOnlyList<NamedSnapshotInfo>> ListNamedSnapshotsAsync(DocumentKey key, CancellationToken ct = default)
    {
        lock (_lock)
        {
            IReadOnlyList<NamedSnapshotInfo> list = _documents.TryGetValue(key, out var entry) ? entry.Named.Select(n => n.Info).ToList() : [];
            return Task.FromResult(list);
        }
    }

    public Task<NamedSnapshot?> GetNamedSnapshotAsync(DocumentKey key, long id, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_documents.TryGetValue(key, out var entry) ? entry.Named.FirstOrDefault(n => n.Info.Id == id) : null);
        }
    }

    private static DocumentInfo Info(DocumentKey key, Entry entry)
    {
        long size = (entry.Snapshot?.Length ?? 0) + entry.Log.Sum(u => (long)u.Payload.Length);
        return new DocumentInfo(key, entry.CreatedAt, entry.UpdatedAt, size, entry.LastSeq, entry.SnapshotSeq, 0);
    }
}
