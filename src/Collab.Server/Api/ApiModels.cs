using Collab.Storage;

namespace Collab.Server.Api;

/// <summary>A page of a listing: <see cref="Next"/> is the cursor to pass as <c>after</c>, null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

public sealed record WorkspaceItem(string Name);

public sealed record DocumentItem(string Name, long Size, DateTimeOffset UpdatedAt, long LastSeq, int ConnectedClients);

public sealed record HistoryItem(long Seq, DateTimeOffset Time, long Size, string? Origin);

public sealed record ChangeItem(long Seq, DateTimeOffset Time, string? Origin, string Update);

public sealed record ChangesResponse(long LastSeq, IReadOnlyList<ChangeItem> Updates);

public sealed record SeqResponse(long Seq);

public sealed record RestoreResponse(long Seq, long SnapshotId);

public sealed record SnapshotItem(long Id, string Label, string? Author, long Seq, DateTimeOffset CreatedAt, long Size)
{
    public static SnapshotItem From(NamedSnapshotInfo info) => new(info.Id, info.Label, info.Author, info.Seq, info.CreatedAt, info.Size);
}

public sealed record SnapshotList(IReadOnlyList<SnapshotItem> Items);

/// <summary>A named snapshot with its content (the root types as yjs toJSON).</summary>
public sealed record SnapshotWithContent(long Id, string Label, string? Author, long Seq, DateTimeOffset CreatedAt, long Size, Dictionary<string, object?> Content);

public sealed record CreateSnapshotRequest(string? Label);
