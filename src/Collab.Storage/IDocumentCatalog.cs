namespace Collab.Storage;

/// <summary>
/// Read-side queries beside <see cref="IDocumentStore"/>, for REST listings, history and the change feed.
/// A separate interface so that test doubles of <see cref="IDocumentStore"/> need not implement it;
/// both stores implement both.
/// </summary>
public interface IDocumentCatalog
{
    /// <summary>The document's catalog row; null if it was never stored.</summary>
    Task<DocumentInfo?> GetInfoAsync(DocumentKey key, CancellationToken ct = default);

    /// <summary>Workspaces that hold at least one document, ordered by name, after <paramref name="after"/> (exclusive).</summary>
    Task<IReadOnlyList<string>> ListWorkspacesAsync(string? after, int limit, CancellationToken ct = default);

    /// <summary>Documents of a workspace ordered by name, after <paramref name="after"/> (exclusive; keyset paging).</summary>
    Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string workspace, string? after, int limit, CancellationToken ct = default);

    /// <summary>
    /// Logged updates with seq &gt; <paramref name="afterSeq"/>, ascending, at most <paramref name="limit"/>.
    /// Updates already folded into a compaction snapshot are gone: compare <paramref name="afterSeq"/> with
    /// <see cref="DocumentInfo.CompactedSeq"/> to detect that.
    /// </summary>
    Task<IReadOnlyList<StoredUpdate>> ReadLogAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default);

    /// <summary>
    /// The metadata of every update with seq &gt; <paramref name="afterSeq"/>, ascending, at most <paramref name="limit"/>:
    /// unlike <see cref="ReadLogAsync"/>, compaction does not remove these.
    /// </summary>
    Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DocumentKey key, long afterSeq, int limit, CancellationToken ct = default);
}
