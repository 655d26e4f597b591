using Collab.Storage;

namespace Collab.Server.Api;

/// <summary>A page of a listing: <see cref="Next"/> is the cursor to pass as <c>after</c>, null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

internal sealed record WorkspaceItem(string Name);

internal sealed record DocumentItem(string Name, long Size, DateTimeOffset UpdatedAt, long LastSeq, int ConnectedClients);

internal sealed record HistoryItem(long Seq, DateTimeOffset Time, long Size, string? Origin);

internal sealed record ChangeItem(long Seq, DateTimeOffset Time, string? Origin, string Update);

internal sealed record ChangesResponse(long LastSeq, IReadOnlyList<ChangeItem> Updates);

internal sealed record SeqResponse(long Seq);

internal sealed record RestoreResponse(long Seq, long SnapshotId);

internal sealed record SnapshotItem(long Id, string Label, string? Author, long Seq, DateTimeOffset CreatedAt, long Size)
{
    public static SnapshotItem From(NamedSnapshotInfo info) => new(info.Id, info.Label, info.Author, info.Seq, info.CreatedAt, info.Size);
}

internal sealed record SnapshotList(IReadOnlyList<SnapshotItem> Items);

/// <summary>A named snapshot with its content (the root types as yjs toJSON).</summary>
internal sealed record SnapshotWithContent(long Id, string Label, string? Author, long Seq, DateTimeOffset CreatedAt, long Size, Dictionary<string, object?> Content);

internal sealed record CreateSnapshotRequest(string? Label);
