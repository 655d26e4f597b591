using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>A deleted range of one client's clocks.</summary>
public readonly record struct DeleteItem(long Clock, long Len);

/// <summary>
/// Deleted ranges per client. Wire: <c>varUint clientCount</c>, clients in descending order, each
/// <c>client, rangeCount, (clock, len)*</c>; v2 writes clocks as differences reset per client and <c>len-1</c>.
/// </summary>
public sealed class DeleteSet
{
    /// <summary>Shared and never written: for code that only reads a delete set that may not exist.</summary>
    internal static readonly DeleteSet Empty = new();

    private Dictionary<ulong, List<DeleteItem>>? _clients;

    // created on first use: most transactions delete nothing
    public Dictionary<ulong, List<DeleteItem>> Clients => _clients ??= [];

    public bool IsEmpty => _clients is null || _clients.Count == 0;

    public int RangeCount
    {
        get
        {
            int n = 0;
            foreach (var kv in Clients)
            {
                n += kv.Value.Count;
            }

            return n;
        }
    }

    public void Add(ulong client, long clock, long len)
    {
        if (!Clients.TryGetValue(client, out var list))
        {
            list = [];
            Clients[client] = list;
        }

        list.Add(new DeleteItem(clock, len));
    }

    /// <summary>Whether the clock of <paramref name="id"/> lies in a range (ranges must be sorted).</summary>
    public bool IsDeleted(Id id)
    {
        if (!Clients.TryGetValue(id.Client, out var dis))
        {
            return false;
        }

        int left = 0;
        int right = dis.Count - 1;
        while (left <= right)
        {
            int mid = (left + right) / 2;
            var d = dis[mid];
            if (d.Clock <= id.Clock)
            {
                if (id.Clock < d.Clock + d.Len)
                {
                    return true;
                }

                left = mid + 1;
            }
            else
            {
                right = mid - 1;
            }
        }

        return false;
    }

    /// <summary>Sorts every client's ranges and merges overlapping or adjacent ones (yjs <c>sortAndMergeDeleteSet</c>).</summary>
    public void SortAndMerge()
    {
        if (IsEmpty)
        {
            return;
        }

        foreach (var dels in Clients.Values)
        {
            if (dels.Count < 2)
            {
                continue;
            }

            // ranges with equal clocks merge to the same result in any order, so an unstable sort is fine
            dels.Sort(static (a, b) => a.Clock.CompareTo(b.Clock));
            int j = 1;
            for (int i = 1; i < dels.Count; i++)
            {
                var left = dels[j - 1];
                var right = dels[i];
                // in JavaScript numbers, as yjs adds: a damaged update can carry a length near 2^53, and past it the
                // sums round (clock 4 + len 2^53 - 1 - clock 1 is 2^53 + 4 there, not 2^53 + 2)
                if ((double)left.Clock + left.Len >= right.Clock)
                {
                    dels[j - 1] = new DeleteItem(left.Clock, Math.Max(left.Len, (long)((double)right.Clock + right.Len - left.Clock)));
                }
                else
                {
                    dels[j++] = right;
                }
            }

            dels.RemoveRange(j, dels.Count - j);
        }
    }

    /// <summary>yjs <c>mergeDeleteSets</c>: the union of all ranges, sorted and merged.</summary>
    public static DeleteSet Merge(IReadOnlyList<DeleteSet> sets)
    {
        var merged = new DeleteSet();
        foreach (var ds in sets)
        {
            foreach (var kv in ds.Clients)
            {
                if (!merged.Clients.TryGetValue(kv.Key, out var list))
                {
                    list = [];
                    merged.Clients[kv.Key] = list;
                }

                list.AddRange(kv.Value);
            }
        }

        merged.SortAndMerge();
        return merged;
    }

    internal static DeleteSet Read(UpdateDecoder decoder)
    {
        var ds = new DeleteSet();
        var rest = decoder.RestDecoder;
        int numClients = rest.ReadCount();
        for (int i = 0; i < numClients; i++)
        {
            decoder.ResetDsCurVal();
            ulong client = rest.ReadVarUint();
            int numberOfDeletes = rest.ReadCount();
            if (numberOfDeletes == 0)
            {
                continue;
            }

            if (!ds.Clients.TryGetValue(client, out var list))
            {
                list = new List<DeleteItem>(Math.Min(numberOfDeletes, rest.Remaining));
                ds.Clients[client] = list;
            }

            for (int j = 0; j < numberOfDeletes; j++)
            {
                long clock = decoder.ReadDsClock();
                long len = decoder.ReadDsLen();
                list.Add(new DeleteItem(clock, len));
            }
        }

        return ds;
    }

    internal void Write(UpdateEncoder encoder)
    {
        var rest = encoder.RestEncoder;
        if (IsEmpty)
        {
            rest.WriteUint8(0);
            return;
        }

        rest.WriteVarUint((ulong)Clients.Count);
        var clients = new List<ulong>(Clients.Keys);
        clients.Sort(static (a, b) => b.CompareTo(a));
        foreach (ulong client in clients)
        {
            var items = Clients[client];
            encoder.ResetDsCurVal();
            rest.WriteVarUint(client);
            rest.WriteVarUint((ulong)items.Count);
            foreach (var item in items)
            {
                encoder.WriteDsClock(item.Clock);
                encoder.WriteDsLen(item.Len);
            }
        }
    }
}
