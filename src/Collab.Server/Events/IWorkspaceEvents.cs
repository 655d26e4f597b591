using Collab.Storage;

namespace Collab.Server.Events;

/// <summary>One connected user as the workspace hub reports it: the awareness client id and its <c>user</c> field (JSON, or null).</summary>
public sealed record PresenceUser(long ClientId, string? UserJson);

/// <summary>
/// What happens in a workspace, raised by document hosts and the REST API and delivered to the SignalR hub
/// (<c>/hubs/workspace</c>). Implementations must not block: they are called on a document host's mailbox loop.
/// </summary>
public interface IWorkspaceEvents
{
    /// <summary>The set of users present in a document changed (a connection's awareness <c>user</c> field appeared, changed or left).</summary>
    void PresenceChanged(DocumentKey key, IReadOnlyList<PresenceUser> users);

    /// <summary>Updates were stored for a document (the hub throttles these per document).</summary>
    void DocumentChanged(DocumentKey key, long size, long lastSeq, string? by);

    /// <summary>A named snapshot was created.</summary>
    void SnapshotCreated(DocumentKey key, NamedSnapshotInfo snapshot);

    /// <summary>A named snapshot was restored as a new update with sequence <paramref name="seq"/>.</summary>
    void DocumentRestored(DocumentKey key, long snapshotId, long seq, string? by);
}

/// <summary>The events sink used until a hub is registered: drops everything.</summary>
public sealed class NullWorkspaceEvents : IWorkspaceEvents
{
    public static NullWorkspaceEvents Instance { get; } = new();

    public void PresenceChanged(DocumentKey key, IReadOnlyList<PresenceUser> users) { }

    public void DocumentChanged(DocumentKey key, long size, long lastSeq, string? by) { }

    public void SnapshotCreated(DocumentKey key, NamedSnapshotInfo snapshot) { }

    public void DocumentRestored(DocumentKey key, long snapshotId, long seq, string? by) { }
}
