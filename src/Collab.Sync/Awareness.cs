namespace Collab.Sync;

/// <summary>
/// The awareness table of y-protocols: per client a clock, the time it was last updated and its JSON state
/// (absent once removed). Not thread-safe: owned by one document host (or one client).
/// </summary>
/// <remarks>
/// Semantics follow y-protocols' <c>applyAwarenessUpdate</c> byte for byte: an entry applies when its clock is newer,
/// or equal and null while a state exists; a client nobody has seen counts as clock 0, so a first entry with clock 0
/// is ignored. Remote states time out after <see cref="OutdatedTimeout"/>; a local state is renewed at half of it.
/// </remarks>
public sealed class Awareness
{
    /// <summary>y-protocols' <c>outdatedTimeout</c>.</summary>
    public static readonly TimeSpan DefaultOutdatedTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<ulong, string> _states = [];
    private readonly Dictionary<ulong, Meta> _meta = [];
    private readonly TimeProvider _time;

    public Awareness(ulong? localClientId = null, TimeProvider? time = null, TimeSpan? outdatedTimeout = null)
    {
        LocalClientId = localClientId;
        _time = time ?? TimeProvider.System;
        OutdatedTimeout = outdatedTimeout ?? DefaultOutdatedTimeout;
    }

    public ulong? LocalClientId { get; }

    public TimeSpan OutdatedTimeout { get; }

    /// <summary>Clients with a state, and their state as JSON.</summary>
    public IReadOnlyDictionary<ulong, string> States => _states;

    public int Count => _states.Count;

    /// <summary>Every client this table has seen, with or without a state.</summary>
    public IReadOnlyCollection<ulong> KnownClients => _meta.Keys;

    /// <summary>The clock last seen for a client (kept after its state is removed), or null.</summary>
    public ulong? GetClock(ulong clientId) => _meta.TryGetValue(clientId, out var m) ? m.Clock : null;

    public string? GetLocalState() => LocalClientId is { } id && _states.TryGetValue(id, out var s) ? s : null;

    /// <summary>Sets (or with null removes) the local state and bumps its clock (y-protocols <c>setLocalState</c>).</summary>
    public AwarenessChange SetLocalState(string? json)
    {
        ulong id = LocalClientId ?? throw new InvalidOperationException("This awareness has no local client.");
        ulong clock = _meta.TryGetValue(id, out var meta) ? meta.Clock + 1 : 0;
        bool had = _states.TryGetValue(id, out var prev);
        var change = new AwarenessChange();
        if (json is null || json == "null")
        {
            _states.Remove(id);
            change.Removed.Add(id);
        }
        else
        {
            _states[id] = json;
            if (!had)
            {
                change.Added.Add(id);
            }
            else
            {
                change.Updated.Add(id);
                if (prev != json)
                {
                    change.Changed.Add(id);
                }
            }
        }

        _meta[id] = new Meta(clock, Now);
        return change;
    }

    /// <summary>Applies decoded entries (y-protocols <c>applyAwarenessUpdate</c>).</summary>
    public AwarenessChange Apply(IReadOnlyList<AwarenessEntry> entries)
    {
        var change = new AwarenessChange();
        long now = Now;
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            ulong clock = e.Clock;
            bool known = _meta.TryGetValue(e.ClientId, out var meta);
            ulong current = known ? meta.Clock : 0;
            bool removal = e.IsRemoved;
            bool hasState = _states.TryGetValue(e.ClientId, out var prev);
            if (!(current < clock || (current == clock && removal && hasState)))
            {
                continue;
            }

            if (removal)
            {
                if (e.ClientId == LocalClientId && hasState)
                {
                    // never let a peer remove the local state: announce it is still here with a newer clock
                    clock++;
                }
                else
                {
                    _states.Remove(e.ClientId);
                }
            }
            else
            {
                _states[e.ClientId] = e.Json;
            }

            _meta[e.ClientId] = new Meta(clock, now);
            if (!known && !removal)
            {
                change.Added.Add(e.ClientId);
            }
            else if (known && removal)
            {
                change.Removed.Add(e.ClientId);
            }
            else if (!removal)
            {
                if (prev != e.Json)
                {
                    change.Changed.Add(e.ClientId);
                }

                change.Updated.Add(e.ClientId);
            }
        }

        return change;
    }

    /// <summary>Removes the states of <paramref name="clients"/> (y-protocols <c>removeAwarenessStates</c>).</summary>
    public AwarenessChange Remove(IEnumerable<ulong> clients)
    {
        var change = new AwarenessChange();
        foreach (ulong id in clients)
        {
            if (_states.Remove(id))
            {
                if (id == LocalClientId)
                {
                    _meta[id] = new Meta(_meta[id].Clock + 1, Now);
                }

                change.Removed.Add(id);
            }
        }

        return change;
    }

    /// <summary>Removes remote states not updated for <see cref="OutdatedTimeout"/>.</summary>
    public AwarenessChange RemoveOutdated()
    {
        long now = Now;
        long timeout = (long)OutdatedTimeout.TotalMilliseconds;
        List<ulong>? outdated = null;
        foreach (var (id, meta) in _meta)
        {
            if (id != LocalClientId && timeout <= now - meta.LastUpdated && _states.ContainsKey(id))
            {
                (outdated ??= []).Add(id);
            }
        }

        return outdated is null ? AwarenessChange.None : Remove(outdated);
    }

    /// <summary>Re-announces the local state once half the timeout has passed, so peers do not time it out.</summary>
    public AwarenessChange RenewLocalStateIfDue()
    {
        if (GetLocalState() is { } state && LocalClientId is { } id
            && (long)OutdatedTimeout.TotalMilliseconds / 2 <= Now - _meta[id].LastUpdated)
        {
            return SetLocalState(state);
        }

        return AwarenessChange.None;
    }

    /// <summary>Encodes the current clock and state (null if removed) of each client (y-protocols <c>encodeAwarenessUpdate</c>).</summary>
    public byte[] EncodeUpdate(IReadOnlyList<ulong> clients)
    {
        var writer = new Lib0Writer(16 + clients.Count * 32);
        writer.WriteVarUint((ulong)clients.Count);
        for (int i = 0; i < clients.Count; i++)
        {
            ulong id = clients[i];
            writer.WriteVarUint(id);
            writer.WriteVarUint(_meta.TryGetValue(id, out var m) ? m.Clock : 0);
            writer.WriteVarString(_states.TryGetValue(id, out var s) ? s : "null");
        }

        return writer.ToArray();
    }

    /// <summary>Every client that has a state: what a server sends on connect and in answer to query-awareness.</summary>
    public List<ulong> ClientsWithState() => [.. _states.Keys];

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private readonly record struct Meta(ulong Clock, long LastUpdated);
}
