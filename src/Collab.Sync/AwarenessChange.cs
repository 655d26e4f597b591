namespace Collab.Sync;

/// <summary>
/// What applying awareness entries changed, as y-protocols reports it: <see cref="Updated"/> includes renewals
/// (same state, newer clock), <see cref="Changed"/> only real changes. A server relays
/// <see cref="Added"/> + <see cref="Updated"/> + <see cref="Removed"/> (its 'update' event).
/// </summary>
public sealed class AwarenessChange
{
    public static AwarenessChange None { get; } = new();

    public List<ulong> Added { get; } = [];

    public List<ulong> Updated { get; } = [];

    public List<ulong> Changed { get; } = [];

    public List<ulong> Removed { get; } = [];

    public bool IsEmpty => Added.Count == 0 && Updated.Count == 0 && Removed.Count == 0;

    /// <summary>Added, updated and removed clients, in that order: the clients to broadcast.</summary>
    public List<ulong> All()
    {
        var all = new List<ulong>(Added.Count + Updated.Count + Removed.Count);
        all.AddRange(Added);
        all.AddRange(Updated);
        all.AddRange(Removed);
        return all;
    }
}
