using Collab.Storage;

namespace Collab.Server.Storage;

/// <summary>
/// A volatile <see cref="IDocumentStore"/> (<c>Collab:Storage:Provider=memory</c>): for demos, tests and load runs
/// that measure the server without a disk. Everything is lost when the process stops. Implements the catalog and
/// named snapshots too, so the REST API works on it as on the durable stores.
/// </summary>
public sealed partial class InMemoryDocumentStore : IDocumentStore
{
    private readonly object _lock = new();
    private readonly Dictionary<DocumentKey, Entry> _documents = [];

    public Task MigrateAsync(CancellationToken ct = default) => Task.CompletedTask;

    public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(true);

    public Task<StoredDocument?> LoadAsync(DocumentKey key, CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue(key, out var entry))
            {
                return Task.FromResult<StoredDocument?>(null);
            }

            return Task.FromResult<StoredDocument?>(new StoredDocument(entry.Snapshot, entry.SnapshotSeq, [.. entry.Log]));
        }
    }

    public Task<long> AppendAsync(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue(key, out var entry))
            {
                entry = new Entry { CreatedAt = DateTimeOffset.UtcNow };
                _documents[key] = entry;
            }

            entry.UpdatedAt = DateTimeOffset.UtcNow;
            foreach (var update in updates)
            {
                entry.Log.Add(new StoredUpdate(++entry.LastSeq, update.Payload, update.Origin, update.ReceivedAt));
                entry.History.Add(new HistoryEntry(entry.LastSeq, update.ReceivedAt, update.Payload.Length, update.Origin));
            }

            return Task.FromResult(entry.LastSeq);
        }
    }

    public Task CompactAsync(DocumentKey key, byte[] snapshot, long upToSeq, CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue(key, out var entry))
            {
                entry = new Entry { CreatedAt = DateTimeOffset.UtcNow };
                _documents[key] = entry;
            }

            entry.UpdatedAt = DateTimeOffset.UtcNow;
            entry.Snapshot = snapshot;
            entry.SnapshotSeq = upToSeq;
            entry.Log.RemoveAll(u => u.Seq <= upToSeq);
            entry.LastSeq = Math.Max(entry.LastSeq, upToSeq);
            return Task.CompletedTask;
        }
    }

    public Task<bool> DeleteAsync(DocumentKey key, CancellationToken ct = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_documents.Remove(key));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Entry
    {
        public List<StoredUpdate> Log { get; } = [];

        public byte[]? Snapshot { get; set; }

        public long SnapshotSeq { get; set; }

        public long LastSeq { get; set; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; set; }

        public List<NamedSnapshot> Named { get; } = [];

        public List<HistoryEntry> History { get; } = [];
    }
}
