namespace Collab.Crdt;

/// <summary>A shared map from string keys to values (yjs <c>Y.Map</c>).</summary>
public class YMap : AbstractType
{
    private Dictionary<string, object?>? _prelim = [];

    internal override TypeRef TypeRef => TypeRef.Map;

    internal override void Integrate(Doc doc, Item? item)
    {
        base.Integrate(doc, item);
        var prelim = _prelim!;
        _prelim = null;
        if (prelim.Count > 0)
        {
            doc.Transact(t =>
            {
                foreach (var (key, value) in prelim)
                {
                    MapSet(t, key, value);
                }
            });
        }
    }

    public int Count
    {
        get
        {
            if (Doc is null)
            {
                return _prelim!.Count;
            }

            int n = 0;
            foreach (var item in Map.Values)
            {
                if (!item.Deleted)
                {
                    n++;
                }
            }

            return n;
        }
    }

    public void Set(string key, object? value)
    {
        if (Doc is null)
        {
            _prelim![key] = value;
            return;
        }

        Doc.Transact(t => MapSet(t, key, value));
    }

    /// <summary>The value, or <see cref="Undefined.Value"/> when the key is absent.</summary>
    public object? Get(string key) => Doc is null ? (_prelim!.TryGetValue(key, out var v) ? v : Undefined.Value) : MapGet(key);

    public bool Has(string key) => Doc is null ? _prelim!.ContainsKey(key) : MapHas(key);

    public void Delete(string key)
    {
        if (Doc is null)
        {
            _prelim!.Remove(key);
            return;
        }

        Doc.Transact(t => MapDelete(t, key));
    }

    public IEnumerable<KeyValuePair<string, object?>> Entries() => Doc is null ? _prelim! : MapEntries();

    public IEnumerable<string> Keys => Entries().Select(e => e.Key);

    public override object? ToJson()
    {
        var obj = new JsObject();
        foreach (var (key, value) in Entries())
        {
            obj.Set(key, ValueToJson(value));
        }

        return obj;
    }
}
