namespace Collab.Crdt;

/// <summary>
/// Every struct of a document, per client, ordered by clock and without gaps (yjs <c>StructStore</c>),
/// plus the updates that wait for missing dependencies.
/// </summary>
public sealed class StructStore
{
    internal readonly Dictionary<ulong, StructList> Clients = [];

    /// <summary>Structs that could not be integrated yet (a v2 update) and, per client, the lowest missing clock.</summary>
    internal (Dictionary<ulong, long> Missing, byte[] Update)? PendingStructs;

    /// <summary>Deletions of structs that have not arrived yet (a v2 update with no structs).</summary>
    internal byte[]? PendingDs;

    // The state vector only changes inside transactions, so the one computed when the last transaction
    // ended is still the state when the next begins: it is reused instead of rebuilt per keystroke.
    private ClockMap? _cachedStateVector;

    internal ClockMap CurrentStateVector() => _cachedStateVector ??= ClockMap.FromStore(this);

    internal ClockMap RefreshStateVector() => _cachedStateVector ??= ClockMap.FromStore(this);

    internal void InvalidateStateVector() => _cachedStateVector = null;

    public Dictionary<ulong, long> GetStateVector()
    {
        var sv = new Dictionary<ulong, long>(Clients.Count);
        foreach (var (client, structs) in Clients)
        {
            var last = structs.Last;
            sv[client] = last.Id.Clock + last.Length;
        }

        return sv;
    }

    public long GetState(ulong client)
    {
        if (!Clients.TryGetValue(client, out var structs))
        {
            return 0;
        }

        var last = structs.Last;
        return last.Id.Clock + last.Length;
    }

    internal void AddStruct(AbstractStruct s)
    {
        _cachedStateVector = null;
        if (!Clients.TryGetValue(s.Id.Client, out var structs))
        {
            structs = [];
            Clients[s.Id.Client] = structs;
        }
        else
        {
            var last = structs.Last;
            if (last.Id.Clock + last.Length != s.Id.Clock)
            {
                throw new InvalidOperationException($"Struct store out of order: {s.Id} does not follow {last.Id}+{last.Length}.");
            }
        }

        structs.Add(s);
    }

    /// <summary>The index of the struct holding <paramref name="clock"/> (yjs <c>findIndexSS</c>).</summary>
    internal static int FindIndex(StructList structs, long clock) => structs.FindIndex(clock);

    internal AbstractStruct Find(Id id) => Clients[id.Client][FindIndex(Clients[id.Client], id.Clock)];

    internal static int FindIndexCleanStart(Transaction transaction, StructList structs, long clock)
    {
        int index = FindIndex(structs, clock);
        var s = structs[index];
        if (s.Id.Clock < clock && s is Item item)
        {
            structs.Insert(index + 1, Item.Split(transaction, item, clock - item.Id.Clock));
            return index + 1;
        }

        return index;
    }

    internal AbstractStruct GetItemCleanStart(Transaction transaction, Id id)
    {
        var structs = Clients[id.Client];
        return structs[FindIndexCleanStart(transaction, structs, id.Clock)];
    }

    internal AbstractStruct GetItemCleanEnd(Transaction transaction, Id id)
    {
        var structs = Clients[id.Client];
        int index = FindIndex(structs, id.Clock);
        var s = structs[index];
        if (id.Clock != s.Id.Clock + s.Length - 1 && s is Item item)
        {
            structs.Insert(index + 1, Item.Split(transaction, item, id.Clock - item.Id.Clock + 1));
        }

        return s;
    }

    internal void ReplaceStruct(AbstractStruct s, AbstractStruct replacement)
    {
        var structs = Clients[s.Id.Client];
        structs[FindIndex(structs, s.Id.Clock)] = replacement;
    }

    /// <summary>Calls <paramref name="f"/> for every struct in [clockStart, clockStart+len), splitting at both ends.</summary>
    internal static void IterateStructs(Transaction transaction, StructList structs, long clockStart, long len, Action<AbstractStruct> f)
    {
        if (len == 0)
        {
            return;
        }

        long clockEnd = clockStart + len;
        int index = FindIndexCleanStart(transaction, structs, clockStart);
        AbstractStruct s;
        do
        {
            s = structs[index++];
            if (clockEnd < s.Id.Clock + s.Length)
            {
                FindIndexCleanStart(transaction, structs, clockEnd);
            }

            f(s);
        }
        while (index < structs.Count && structs[index].Id.Clock < clockEnd);
    }
}
