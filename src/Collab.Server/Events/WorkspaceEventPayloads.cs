using System.Text.Json;

namespace Collab.Server.Events;

// The single argument of each workspace hub event, as the API contract fixes it (SignalR's JSON protocol
// writes the properties in camelCase).

internal sealed record PresenceChangedEvent(string Workspace, string Document, IReadOnlyList<PresenceUserPayload> Users);

/// <summary><see cref="User"/> is the awareness state's <c>user</c> field as JSON, or null.</summary>
internal sealed record PresenceUserPayload(long ClientId, JsonElement? User);

internal sealed record DocumentChangedEvent(string Workspace, string Document, long Size, long LastSeq, string? By);

internal sealed record SnapshotCreatedEvent(string Workspace, string Document, SnapshotPayload Snapshot);

internal sealed record SnapshotPayload(long Id, string Label, string? Author, long Seq, DateTimeOffset CreatedAt, long Size);

internal sealed record DocumentRestoredEvent(string Workspace, string Document, long SnapshotId, long Seq, string? By);
