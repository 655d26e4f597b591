using System.Collections;
using System.Globalization;

namespace Collab.Crdt;

/// <summary>
/// A JavaScript object as lib0's <c>any</c> and JSON see it: string keys to values. Enumeration follows
/// JavaScript's own-property order (array-index keys ascending, then the others in insertion order), so
/// that re-encoding a decoded object gives yjs' bytes.
/// </summary>
/// <remarks>
/// Values are <c>null</c>, <see cref="Undefined"/>, <see cref="bool"/>, <see cref="double"/>,
/// <see cref="long"/> (a BigInt), <see cref="string"/>, <c>byte[]</c>, <c>List&lt;object?&gt;</c> or
/// <see cref="JsObject"/>.
/// </remarks>
public sealed class JsObject : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private bool _hasIndexKeys;

    public int Count => _entries.Count;

    public object? this[string key]
    {
        get => _index.TryGetValue(key, out int i) ? _entries[i].Value : Undefined.Value;
        set => Set(key, value);
    }

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _entries[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Sets a key; an existing key keeps its position, as in JavaScript.</summary>
    public void Set(string key, object? value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            _entries[i] = new(key, value);
            return;
        }

        _index[key] = _entries.Count;
        _entries.Add(new(key, value));
        _hasIndexKeys |= IsArrayIndex(key);
    }

    /// <summary>Removes a key (JavaScript <c>delete</c>); a later <see cref="Set"/> appends it at the end.</summary>
    public bool Remove(string key)
    {
        if (!_index.Remove(key, out int i))
        {
            return false;
        }

        _entries.RemoveAt(i);
        for (int j = i; j < _entries.Count; j++)
        {
            _index[_entries[j].Key] = j;
        }

        return true;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        if (!_hasIndexKeys)
        {
            return _entries.GetEnumerator();
        }

        var indexKeys = new List<KeyValuePair<string, object?>>();
        var others = new List<KeyValuePair<string, object?>>();
        foreach (var e in _entries)
        {
            (IsArrayIndex(e.Key) ? indexKeys : others).Add(e);
        }

        indexKeys.Sort(static (a, b) => ulong.Parse(a.Key, CultureInfo.InvariantCulture).CompareTo(ulong.Parse(b.Key, CultureInfo.InvariantCulture)));
        indexKeys.AddRange(others);
        return indexKeys.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>An array index in ECMAScript: the canonical decimal form of an integer below 2^32 - 1.</summary>
    internal static bool IsArrayIndex(string key)
    {
        if (key.Length == 0 || key.Length > 10 || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }

        foreach (char c in key)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return ulong.Parse(key, CultureInfo.InvariantCulture) < uint.MaxValue;
    }
}
