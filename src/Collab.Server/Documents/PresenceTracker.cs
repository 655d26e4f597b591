using System.Text.Json;
using Collab.Server.Events;
using Collab.Sync;

namespace Collab.Server.Documents;

/// <summary>
/// The (client id, <c>user</c> field) pairs of a document's awareness states, kept by its host so that the workspace
/// hub hears of presence only when one of them appears, changes or leaves: cursor moves and renewals change nothing here.
/// Owned by the host's mailbox loop (no locking).
/// </summary>
internal sealed class PresenceTracker
{
    private readonly Dictionary<ulong, string?> _users = [];

    public bool IsEmpty => _users.Count == 0;

    /// <summary>Takes in what an awareness change did; true when the set of (client, user) pairs changed.</summary>
    public bool Apply(Awareness awareness, AwarenessChange change)
    {
        if (change.IsEmpty)
        {
            return false;
        }

        bool changed = false;
        foreach (ulong id in change.Removed)
        {
            changed |= _users.Remove(id);
        }

        // only added and really changed states are parsed: renewals (Updated without Changed) keep their user
        foreach (ulong id in change.Added)
        {
            changed |= Set(awareness, id);
        }

        foreach (ulong id in change.Changed)
        {
            changed |= Set(awareness, id);
        }

        return changed;
    }

    /// <summary>Forgets everyone (the host failed and closed its connections); true when someone was present.</summary>
    public bool Clear()
    {
        bool had = _users.Count > 0;
        _users.Clear();
        return had;
    }

    /// <summary>The present users ordered by client id.</summary>
    public List<PresenceUser> Users()
    {
        var users = new List<PresenceUser>(_users.Count);
        foreach (var (id, user) in _users)
        {
            users.Add(new PresenceUser((long)id, user));
        }

        users.Sort(static (a, b) => a.ClientId.CompareTo(b.ClientId));
        return users;
    }

    private bool Set(Awareness awareness, ulong id)
    {
        if (!awareness.States.TryGetValue(id, out var state))
        {
            return _users.Remove(id);
        }

        string? user = UserField(state);
        if (_users.TryGetValue(id, out var previous) && previous == user)
        {
            return false;
        }

        _users[id] = user;
        return true;
    }

    /// <summary>The raw JSON of the state's <c>user</c> field, or null when it has none (or is not an object state).</summary>
    internal static string? UserField(string stateJson)
    {
        try
        {
            using var document = JsonDocument.Parse(stateJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("user", out var user)
                && user.ValueKind != JsonValueKind.Null
                ? user.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            // awareness states are relayed as clients send them; one that is not JSON simply has no user
            return null;
        }
    }
}
