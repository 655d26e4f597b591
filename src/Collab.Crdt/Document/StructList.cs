using System.Collections;

namespace Collab.Crdt;

/// <summary>
/// One client's structs in clock order (the array yjs keeps per client in its <c>StructStore</c>).
/// A plain list made every split and merge in the middle of a long history move the whole tail: on the B4
/// trace that memmove of references (with a write barrier per slot, which also left the large array's cards
/// dirty for every gen0 collection) was most of the replay time. Here the structs live in chunks of at most
/// <see cref="ChunkCapacity"/>, so an insert or removal moves at most one chunk, while index access stays O(1)
/// for the sequential walks the algorithms do (the last chunk used is remembered) and O(log n) otherwise.
/// </summary>
internal sealed class StructList : IEnumerable<AbstractStruct>
{
    private const int ChunkCapacity = 256;

    private sealed class Chunk(int capacity)
    {
        public AbstractStruct[] Items = new AbstractStruct[capacity];
        public int Count;
        public int Start; // global index of Items[0]
    }

    private readonly List<Chunk> _chunks = [];
    private int _count;
    private int _cursor; // index in _chunks of the chunk last located

    public int Count => _count;

    /// <summary>The struct with the highest clock (the client's state is its end).</summary>
    public AbstractStruct Last
    {
        get
        {
            var chunks = _chunks;
            int last = chunks.Count - 1;
            var chunk = chunks[last];
            if (chunk.Count == 0)
            {
                if (last == 0)
                {
                    throw new InvalidOperationException("The struct list is empty.");
                }

                chunk = chunks[last - 1];
            }

            return chunk.Items[chunk.Count - 1];
        }
    }

    public AbstractStruct this[int index]
    {
        get
        {
            var chunk = Locate(index);
            return chunk.Items[index - chunk.Start];
        }
        set
        {
            var chunk = Locate(index);
            chunk.Items[index - chunk.Start] = value;
        }
    }

    public void Add(AbstractStruct s)
    {
        Chunk last;
        if (_chunks.Count == 0 || (last = _chunks[^1]).Count == ChunkCapacity)
        {
            last = new Chunk(_chunks.Count == 0 ? 4 : ChunkCapacity) { Start = _count };
            _chunks.Add(last);
        }
        else if (last.Count == last.Items.Length)
        {
            Array.Resize(ref last.Items, Math.Min(ChunkCapacity, last.Items.Length * 2));
        }

        last.Items[last.Count++] = s;
        _count++;
    }

    public void Insert(int index, AbstractStruct s)
    {
        if (index == _count)
        {
            Add(s);
            return;
        }

        var chunk = Locate(index);
        int ci = _cursor;
        if (chunk.Count == ChunkCapacity)
        {
            // split the full chunk in halves; the new half follows it
            int half = ChunkCapacity / 2;
            var right = new Chunk(ChunkCapacity) { Count = ChunkCapacity - half, Start = chunk.Start + half };
            Array.Copy(chunk.Items, half, right.Items, 0, right.Count);
            Array.Clear(chunk.Items, half, right.Count);
            chunk.Count = half;
            _chunks.Insert(ci + 1, right);
            if (index - chunk.Start > half)
            {
                chunk = right;
                ci++;
            }
        }
        else if (chunk.Count == chunk.Items.Length)
        {
            Array.Resize(ref chunk.Items, Math.Min(ChunkCapacity, chunk.Items.Length * 2));
        }

        int local = index - chunk.Start;
        Array.Copy(chunk.Items, local, chunk.Items, local + 1, chunk.Count - local);
        chunk.Items[local] = s;
        chunk.Count++;
        _count++;
        ShiftStarts(ci + 1, 1);
        _cursor = ci;
    }

    public void RemoveAt(int index) => RemoveRange(index, 1);

    public void RemoveRange(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((uint)index > (uint)_count || count > _count - index)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        while (count > 0)
        {
            var chunk = Locate(index);
            int ci = _cursor;
            int local = index - chunk.Start;
            int n = Math.Min(count, chunk.Count - local);
            Array.Copy(chunk.Items, local + n, chunk.Items, local, chunk.Count - local - n);
            Array.Clear(chunk.Items, chunk.Count - n, n);
            chunk.Count -= n;
            _count -= n;
            count -= n;
            // an emptied last chunk stays: typing appends a struct and merges it away again at every keystroke
            if (chunk.Count == 0 && ci < _chunks.Count - 1)
            {
                _chunks.RemoveAt(ci);
                _cursor = Math.Max(0, ci - 1);
                ShiftStarts(ci, -n);
            }
            else
            {
                ShiftStarts(ci + 1, -n);
            }
        }
    }

    /// <summary>The index of the struct that holds <paramref name="clock"/> (yjs <c>findIndexSS</c>).</summary>
    public int FindIndex(long clock)
    {
        // the last chunk whose first struct starts at or before clock
        int lo = 0;
        int hi = _chunks.Count - 1;
        if (hi > 0 && _chunks[hi].Count == 0)
        {
            hi--; // only the last chunk can be empty
        }

        if (hi < 0)
        {
            throw new InvalidOperationException($"Clock {clock} is not in the struct store.");
        }

        // most lookups are at the end (what a transaction added) or near the previous one
        if (_chunks[hi].Items[0].Id.Clock <= clock)
        {
            lo = hi;
        }
        else if (_cursor < hi && _chunks[_cursor].Items[0].Id.Clock <= clock && _chunks[_cursor + 1].Items[0].Id.Clock > clock)
        {
            lo = hi = _cursor;
        }

        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (_chunks[mid].Items[0].Id.Clock <= clock)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var chunk = _chunks[lo];
        var items = chunk.Items;
        int left = 0;
        int right = chunk.Count - 1;
        while (left <= right)
        {
            int mid = (left + right) >>> 1;
            var s = items[mid];
            long midClock = s.Id.Clock;
            if (midClock <= clock)
            {
                if (clock < midClock + s.Length)
                {
                    _cursor = lo;
                    return chunk.Start + mid;
                }

                left = mid + 1;
            }
            else
            {
                right = mid - 1;
            }
        }

        throw new InvalidOperationException($"Clock {clock} is not in the struct store.");
    }

    /// <summary>A new list holding <paramref name="count"/> structs of <paramref name="source"/> from <paramref name="start"/>.</summary>
    public static StructList FromRange(List<AbstractStruct> source, int start, int count)
    {
        var list = new StructList();
        for (int i = start; i < start + count; i++)
        {
            list.Add(source[i]);
        }

        return list;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<AbstractStruct> IEnumerable<AbstractStruct>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Chunk Locate(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside the {_count} structs.");
        }

        var chunks = _chunks;
        int ci = _cursor;
        if (ci < chunks.Count)
        {
            var c = chunks[ci];
            if (index >= c.Start)
            {
                if (index < c.Start + c.Count)
                {
                    return c;
                }

                // the walks go forward: try the next chunk before searching
                if (ci + 1 < chunks.Count && index < chunks[ci + 1].Start + chunks[ci + 1].Count)
                {
                    _cursor = ci + 1;
                    return chunks[ci + 1];
                }
            }
            else if (ci > 0 && index >= chunks[ci - 1].Start)
            {
                _cursor = ci - 1;
                return chunks[ci - 1];
            }
        }

        // the end of the list (the state, what a transaction just added) is asked for all the time
        int last = chunks.Count - 1;
        if (chunks[last].Count == 0 && last > 0)
        {
            last--;
        }

        if (index >= chunks[last].Start)
        {
            _cursor = last;
            return chunks[last];
        }

        int lo = 0;
        int hi = last;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (chunks[mid].Start <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        _cursor = lo;
        return chunks[lo];
    }

    private void ShiftStarts(int fromChunk, int delta)
    {
        var chunks = _chunks;
        for (int i = fromChunk; i < chunks.Count; i++)
        {
            chunks[i].Start += delta;
        }
    }

    public struct Enumerator : IEnumerator<AbstractStruct>
    {
        private readonly StructList _list;
        private int _chunk;
        private int _index;

        internal Enumerator(StructList list)
        {
            _list = list;
            _chunk = 0;
            _index = -1;
            Current = null!;
        }

        public AbstractStruct Current { get; private set; }

        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            var chunks = _list._chunks;
            while (_chunk < chunks.Count)
            {
                if (++_index < chunks[_chunk].Count)
                {
                    Current = chunks[_chunk].Items[_index];
                    return true;
                }

                _chunk++;
                _index = -1;
            }

            return false;
        }

        public void Reset()
        {
            _chunk = 0;
            _index = -1;
        }

        public void Dispose()
        {
        }
    }
}
