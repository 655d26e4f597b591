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

    // One client (a document edited by one peer, the common case per keystroke) needs no arrays.
    private readonly ulong _client0;
    private readonly long _clock0;
    private readonly ulong[]? _clients;
    private readonly long[]? _clocks;
    private readonly int _count;
    private Dictionary<ulong, int>? _index;

    private ClockMap(ulong[] clients, long[] clocks, int count)
    {
        _clients = clients;
        _clocks = clocks;
        _count = count;
    }

    private ClockMap(ulong client, long clock)
    {
        _client0 = client;
        _clock0 = clock;
        _count = 1;
    }

    private ulong ClientAt(int i) => _clients is null ? _client0 : _clients[i];

    private long ClockAt(int i) => _clocks is null ? _clock0 : _clocks[i];

    internal static ClockMap FromStore(StructStore store)
    {
        int n = store.Clients.Count;
        if (n == 0)
        {
            return Empty;
        }

        if (n == 1)
        {
            foreach (var (client, structs) in store.Clients)
            {
                var only = structs.Last;
                return new ClockMap(client, only.Id.Clock + only.Length);
            }
        }

        var clients = new ulong[n];
        var clocks = new long[n];
        int i = 0;
        foreach (var (client, structs) in store.Clients)
        {
            var last = structs.Last;
            clients[i] = client;
            clocks[i] = last.Id.Clock + last.Length;
            i++;
        }

        return new ClockMap(clients, clocks, n);
    }

    public int Count => _count;

    public long this[ulong key] => TryGetValue(key, out long v) ? v : throw new KeyNotFoundException($"Client {key} is not in the state vector.");

    public IEnumerable<ulong> Keys => ToDictionary().Keys;

    public IEnumerable<long> Values => ToDictionary().Values;

    public bool ContainsKey(ulong key) => IndexOf(key) >= 0;

    public bool TryGetValue(ulong key, [MaybeNullWhen(false)] out long value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            value = 0;
            return false;
        }

        value = ClockAt(i);
        return true;
    }

    /// <summary>The clock of <paramref name="client"/>, or 0.</summary>
    public long Get(ulong client)
    {
        int i = IndexOf(client);
        return i < 0 ? 0 : ClockAt(i);
    }

    private int IndexOf(ulong client)
    {
        if (_clients is null)
        {
            return _count == 1 && _client0 == client ? 0 : -1;
        }

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
            d[ClientAt(i)] = ClockAt(i);
        }

        return d;
    }

    public struct Enumerator(ClockMap map) : IEnumerator<KeyValuePair<ulong, long>>
    {
        private int _i = -1;

        public readonly KeyValuePair<ulong, long> Current => new(map.ClientAt(_i), map.ClockAt(_i));

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_i < map._count;

        public void Reset() => _i = -1;

        public readonly void Dispose()
        {
        }
    }
}
