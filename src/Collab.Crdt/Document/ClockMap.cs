using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Collab.Crdt;

/// <summary>
/// An immutable state vector (client → next clock) for a transaction's before and after states. Most
/// documents have few clients, so it is two arrays searched linearly (the first client inline), which
/// costs a fraction of a dictionary per keystroke.
/// </summary>
public sealed class ClockMap : IReadOnlyDictionary<ulong, long>
{
    internal static readonly ClockMap Empty = new([], [], 0);

    private readonly ulong[] _clients;
    private readonly long[] _clocks;
    private readonly int _count;
    private Dictionary<ulong, int>? _index;

    private ClockMap(ulong[] clients, long[] clocks, int count)
    {
        _clients = clients;
        _clocks = clocks;
        _count = count;
    }

    internal static ClockMap FromStore(StructStore store)
    {
        int n = store.Clients.Count;
        if (n == 0)
        {
            return Empty;
        }

        var clients = new ulong[n];
        var clocks = new long[n];
        int i = 0;
        foreach (var (client, structs) in store.Clients)
        {
            var last = structs[^1];
            clients[i] = client;
            clocks[i] = last.Id.Clock + last.Length;
            i++;
        }

        return new ClockMap(clients, clocks, n);
    }

    public int Count => _count;

    public long this[ulong key] => TryGetValue(key, out long v) ? v : throw new KeyNotFoundException($"Client {key} is not in the state vector.");

    public IEnumerable<ulong> Keys => _clients.Take(_count);

    public IEnumerable<long> Values => _clocks.Take(_count);

    public bool ContainsKey(ulong key) => IndexOf(key) >= 0;

    public bool TryGetValue(ulong key, [MaybeNullWhen(false)] out long value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            value = 0;
            return false;
        }

        value = _clocks[i];
        return true;
    }

    /// <summary>The clock of <paramref name="client"/>, or 0.</summary>
    public long Get(ulong client)
    {
        int i = IndexOf(client);
        return i < 0 ? 0 : _clocks[i];
    }

    private int IndexOf(ulong client)
    {
        if (_count <= 8)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_clients[i] == client)
                {
                    return i;
                }
            }

            return -1;
        }

        if (_index is null)
        {
            var index = new Dictionary<ulong, int>(_count);
            for (int i = 0; i < _count; i++)
            {
                index[_clients[i]] = i;
            }

            _index = index;
        }

        return _index.TryGetValue(client, out int j) ? j : -1;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<ulong, long>> IEnumerable<KeyValuePair<ulong, long>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public Dictionary<ulong, long> ToDictionary()
    {
        var d = new Dictionary<ulong, long>(_count);
        for (int i = 0; i < _count; i++)
        {
            d[_clients[i]] = _clocks[i];
        }

        return d;
    }

    public struct Enumerator(ClockMap map) : IEnumerator<KeyValuePair<ulong, long>>
    {
        private int _i = -1;

        public readonly KeyValuePair<ulong, long> Current => new(map._clients[_i], map._clocks[_i]);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_i < map._count;

        public void Reset() => _i = -1;

        public readonly void Dispose()
        {
        }
    }
}
