namespace Collab.Storage;

/// <summary>A named restore point's metadata. <see cref="Size"/> is the byte length of its state.</summary>
public sealed record NamedSnapshotInfo(long Id, DocumentKey Key, long Seq, string Label, string? Author, DateTimeOffset CreatedAt, long Size);

/// <summary>A named restore point with its content: an encoded update equal to the document at <see cref="NamedSnapshotInfo.Seq"/>, and its state vector.</summary>
public sealed record NamedSnapshot(NamedSnapshotInfo Info, byte[] State, byte[] StateVector);

/// <summary>
/// Named snapshots (restore points) kept beside the log. Compaction never touches them; deleting the document does.
/// A separate interface so that test doubles of <see cref="IDocumentStore"/> need not implement it; both stores do.
/// </summary>
public interface INamedSnapshotStore
{
    /// <summary>
    /// Stores a restore point of the document as of <paramref name="seq"/> (at most its last appended seq).
    /// Throws <see cref="StorageException"/> with <see cref="StorageErrorKind.DocumentNotFound"/> or
    /// <see cref="StorageErrorKind.Conflict"/> (seq past the end of the log).
    /// </summary>
    Task<NamedSnapshotInfo> SaveNamedSnapshotAsync(
        DocumentKey key, long seq, string label, string? author, byte[] state, byte[] stateVector, CancellationToken ct = default);

    /// <summary>The document's named snapshots, oldest first; empty if it has none or does not exist.</summary>
    Task<IReadOnlyList<NamedSnapshotInfo>> ListNamedSnapshotsAsync(DocumentKey key, CancellationToken ct = default);

    /// <summary>One named snapshot of this document with its content; null if there is no such snapshot.</summary>
    Task<NamedSnapshot?> GetNamedSnapshotAsync(DocumentKey key, long id, CancellationToken ct = default);
}
