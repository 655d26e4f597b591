namespace Collab.Crdt;

/// <summary>
/// The base of every shared type (yjs <c>AbstractType</c>): a linked list of items (<see cref="Start"/>) for
/// list content and a map of key to newest item (<see cref="Map"/>) for keyed content. A bare
/// <see cref="AbstractType"/> is the placeholder for a root type that arrived in an update before anyone
/// asked for it by kind.
/// </summary>
public class AbstractType
{
    private List<Action<YEvent, Transaction>>? _observers;
    private List<Action<IReadOnlyList<YEvent>, Transaction>>? _deepObservers;

    /// <summary>The document, once integrated.</summary>
    public Doc? Doc { get; private set; }

    /// <summary>The item holding this type, or null for a root type.</summary>
    public Item? Item { get; private set; }

    /// <summary>The name of a root type.</summary>
    public string? RootName { get; internal set; }

    internal Item? Start;

    internal readonly Dictionary<string, Item> Map = new(StringComparer.Ordinal);

    /// <summary>The number of countable, undeleted list elements.</summary>
    internal long LengthValue;

    /// <summary>How deeply the type is nested: 0 for a root type, its parent's depth plus one for a nested type.</summary>
    internal int Depth;

    internal List<ArraySearchMarker>? SearchMarkers;

    internal virtual TypeRef TypeRef => throw new InvalidOperationException("A placeholder root type has no kind; get it with Doc.Get<T>.");

    /// <summary>The name written after the typeRef (XmlElement node name, XmlHook hook name).</summary>
    internal virtual string? NodeNameForWire => null;

    /// <summary>The parent type, or null for a root type.</summary>
    public AbstractType? Parent => Item?.Parent as AbstractType;

    internal bool HasDeepObservers => _deepObservers is { Count: > 0 };

    internal static AbstractType Create(TypeRef typeRef, string? name) => typeRef switch
    {
        TypeRef.Array => new YArray(),
        TypeRef.Map => new YMap(),
        TypeRef.Text => new YText(),
        TypeRef.XmlElement => new YXmlElement(name ?? "UNDEFINED"),
        TypeRef.XmlFragment => new YXmlFragment(),
        TypeRef.XmlHook => new YXmlHook(name ?? string.Empty),
        TypeRef.XmlText => new YXmlText(),
        _ => throw new InvalidOperationException($"Unknown type ref {typeRef}."),
    };

    internal virtual void Integrate(Doc doc, Item? item)
    {
        if (Doc is not null)
        {
            throw new InvalidOperationException("This type was already inserted into a document; create a new instance.");
        }

        Doc = doc;
        Item = item;
        Depth = item?.Parent is AbstractType parent ? parent.Depth + 1 : 0;
    }

    /// <summary>Becomes the concrete type for a placeholder root (yjs <c>doc.get</c> with a new constructor).</summary>
    internal void TakeOver(AbstractType placeholder)
    {
        Doc = placeholder.Doc;
        Item = placeholder.Item;
        Start = placeholder.Start;
        foreach (var (key, item) in placeholder.Map)
        {
            Map[key] = item;
            for (var n = item; n is not null; n = n.Left)
            {
                n.Parent = this;
            }
        }

        for (var n = Start; n is not null; n = n.Right)
        {
            n.Parent = this;
        }

        LengthValue = placeholder.LengthValue;
    }

    internal Doc DocOrThrow => Doc ?? throw new InvalidOperationException("Insert this type into a document before reading or editing it.");

    // ---- events ----

    /// <summary>Calls <paramref name="handler"/> after each transaction that changed this type.</summary>
    public void Observe(Action<YEvent, Transaction> handler) => (_observers ??= []).Add(handler);

    public void Unobserve(Action<YEvent, Transaction> handler) => _observers?.Remove(handler);

    /// <summary>Calls <paramref name="handler"/> with the events of this type and every nested type.</summary>
    public void ObserveDeep(Action<IReadOnlyList<YEvent>, Transaction> handler) => (_deepObservers ??= []).Add(handler);

    public void UnobserveDeep(Action<IReadOnlyList<YEvent>, Transaction> handler) => _deepObservers?.Remove(handler);

    internal virtual YEvent CreateEvent(Transaction transaction, HashSet<string?> keysChanged) => new(this, transaction, keysChanged);

    internal void CallObserver(Transaction transaction, HashSet<string?>? keysChanged)
    {
        if (!transaction.Local)
        {
            // remote structs moved things under the markers: they no longer point at the right indices
            SearchMarkers?.Clear();
            if (this is YText { HasFormatting: true })
            {
                // a remote change may have left duplicate formatting marks; cleaned after the transaction
                transaction.NeedFormattingCleanup = true;
            }
        }

        if (_observers is null && !AnyAncestorObservesDeep())
        {
            return;
        }

        var e = CreateEvent(transaction, keysChanged ?? [null]);
        for (AbstractType? t = this; t is not null; t = t.Item?.Parent as AbstractType)
        {
            if (!transaction.ChangedParentTypes.TryGetValue(t, out var list))
            {
                list = [];
                transaction.ChangedParentTypes[t] = list;
            }

            list.Add(e);
            if (t.Item is null)
            {
                break;
            }
        }

        if (_observers is not null)
        {
            foreach (var o in _observers.ToArray())
            {
                o(e, transaction);
            }
        }
    }

    private bool AnyAncestorObservesDeep()
    {
        for (AbstractType? t = this; t is not null; t = t.Item?.Parent as AbstractType)
        {
            if (t.HasDeepObservers)
            {
                return true;
            }
        }

        return false;
    }

    internal void CallDeepObservers(IReadOnlyList<YEvent> events, Transaction transaction)
    {
        foreach (var o in _deepObservers!.ToArray())
        {
            o(events, transaction);
        }
    }

    // ---- JSON ----

    /// <summary>The content as yjs <c>toJSON</c> gives it.</summary>
    public virtual object? ToJson() => null;

    // ---- list operations (yjs typeList*) ----

    internal List<Item> ListItems()
    {
        var items = new List<Item>();
        for (var n = Start; n is not null; n = n.Right)
        {
            items.Add(n);
        }

        return items;
    }

    /// <summary>The undeleted list values in order (yjs <c>typeListToArray</c>).</summary>
    internal List<object?> ListToArray()
    {
        var result = new List<object?>();
        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Countable && !n.Deleted)
            {
                result.AddRange(n.Content.GetContent());
            }
        }

        return result;
    }

    internal object? ListGet(long index)
    {
        var marker = ArraySearchMarker.Find(this, index);
        var n = Start;
        if (marker is not null)
        {
            n = marker.P;
            index -= marker.Index;
        }

        for (; n is not null; n = n.Right)
        {
            if (!n.Deleted && n.Countable)
            {
                if (index < n.Length)
                {
                    return n.Content.GetContent()[(int)index];
                }

                index -= n.Length;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(index));
    }

    internal void ListInsertGenericsAfter(Transaction transaction, Item? referenceItem, IReadOnlyList<object?> content)
    {
        var left = referenceItem;
        var doc = transaction.Doc;
        ulong client = doc.ClientId;
        var store = doc.Store;
        var right = referenceItem is null ? Start : referenceItem.Right;
        List<object?>? jsonContent = null;

        void PackJsonContent()
        {
            if (jsonContent is { Count: > 0 })
            {
                left = new Item(new Id(client, store.GetState(client)), left, left?.LastId, right, right?.Id, this, null, new ContentAny(jsonContent));
                left.Integrate(transaction, 0);
                jsonContent = null;
            }
        }

        foreach (var c in content)
        {
            switch (c)
            {
                case byte[] bytes:
                    PackJsonContent();
                    left = new Item(new Id(client, store.GetState(client)), left, left?.LastId, right, right?.Id, this, null, new ContentBinary(bytes));
                    left.Integrate(transaction, 0);
                    break;
                case Doc subdoc:
                    PackJsonContent();
                    left = new Item(new Id(client, store.GetState(client)), left, left?.LastId, right, right?.Id, this, null, new ContentDoc(subdoc));
                    left.Integrate(transaction, 0);
                    break;
                case AbstractType type:
                    PackJsonContent();
                    left = new Item(new Id(client, store.GetState(client)), left, left?.LastId, right, right?.Id, this, null, new ContentType(type));
                    left.Integrate(transaction, 0);
                    break;
                default:
                    (jsonContent ??= []).Add(JsValue.Normalize(c));
                    break;
            }
        }

        PackJsonContent();
    }

    internal void ListInsertGenerics(Transaction transaction, long index, IReadOnlyList<object?> content)
    {
        if (index > LengthValue)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is past the end ({LengthValue}).");
        }

        if (index == 0)
        {
            if (SearchMarkers is not null)
            {
                ArraySearchMarker.UpdateChanges(SearchMarkers, index, content.Count);
            }

            ListInsertGenericsAfter(transaction, null, content);
            return;
        }

        long startIndex = index;
        var marker = ArraySearchMarker.Find(this, index);
        var n = Start;
        if (marker is not null)
        {
            n = marker.P;
            index -= marker.Index;
            if (index == 0)
            {
                // get the left undeleted item so that the index can be decreased
                n = n.Prev;
                index += n is not null && n.Countable && !n.Deleted ? n.Length : 0;
            }
        }

        for (; n is not null; n = n.Right)
        {
            if (!n.Deleted && n.Countable)
            {
                if (index <= n.Length)
                {
                    if (index < n.Length)
                    {
                        // insert in the middle of n: split it
                        transaction.Doc.Store.GetItemCleanStart(transaction, new Id(n.Id.Client, n.Id.Clock + index));
                    }

                    break;
                }

                index -= n.Length;
            }
        }

        if (SearchMarkers is not null)
        {
            ArraySearchMarker.UpdateChanges(SearchMarkers, startIndex, content.Count);
        }

        ListInsertGenericsAfter(transaction, n, content);
    }

    internal void ListPushGenerics(Transaction transaction, IReadOnlyList<object?> content)
    {
        Item? n = Start;
        long maxIndex = 0;
        if (SearchMarkers is not null)
        {
            foreach (var m in SearchMarkers)
            {
                if (m.Index > maxIndex)
                {
                    maxIndex = m.Index;
                    n = m.P;
                }
            }
        }

        if (n is not null)
        {
            while (n.Right is not null)
            {
                n = n.Right;
            }
        }

        ListInsertGenericsAfter(transaction, n, content);
    }

    internal void ListDelete(Transaction transaction, long index, long length)
    {
        if (length == 0)
        {
            return;
        }

        long startIndex = index;
        long startLength = length;
        var marker = ArraySearchMarker.Find(this, index);
        var n = Start;
        if (marker is not null)
        {
            n = marker.P;
            index -= marker.Index;
        }

        // compute the first item to be deleted
        for (; n is not null && index > 0; n = n.Right)
        {
            if (!n.Deleted && n.Countable)
            {
                if (index < n.Length)
                {
                    transaction.Doc.Store.GetItemCleanStart(transaction, new Id(n.Id.Client, n.Id.Clock + index));
                }

                index -= n.Length;
            }
        }

        // delete all items until done
        while (length > 0 && n is not null)
        {
            if (!n.Deleted)
            {
                if (length < n.Length)
                {
                    transaction.Doc.Store.GetItemCleanStart(transaction, new Id(n.Id.Client, n.Id.Clock + length));
                }

                n.Delete(transaction);
                length -= n.Length;
            }

            n = n.Right;
        }

        if (length > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "Deleting past the end of the type.");
        }

        if (SearchMarkers is not null)
        {
            ArraySearchMarker.UpdateChanges(SearchMarkers, startIndex, -startLength + length);
        }
    }

    // ---- map operations (yjs typeMap*) ----

    internal void MapDelete(Transaction transaction, string key)
    {
        if (Map.TryGetValue(key, out var c))
        {
            c.Delete(transaction);
        }
    }

    internal void MapSet(Transaction transaction, string key, object? value)
    {
        var left = Map.GetValueOrDefault(key);
        var doc = transaction.Doc;
        ulong client = doc.ClientId;
        Content content = value switch
        {
            byte[] bytes => new ContentBinary(bytes),
            Doc subdoc => new ContentDoc(subdoc),
            AbstractType type => new ContentType(type),
            _ => new ContentAny([JsValue.Normalize(value)]),
        };
        new Item(new Id(client, doc.Store.GetState(client)), left, left?.LastId, null, null, this, key, content).Integrate(transaction, 0);
    }

    internal object? MapGet(string key) =>
        Map.TryGetValue(key, out var item) && !item.Deleted ? item.Content.GetContent()[(int)item.Length - 1] : Undefined.Value;

    internal bool MapHas(string key) => Map.TryGetValue(key, out var item) && !item.Deleted;

    /// <summary>Undeleted keys and values, in the map's insertion order.</summary>
    internal IEnumerable<KeyValuePair<string, object?>> MapEntries()
    {
        foreach (var (key, item) in Map)
        {
            if (!item.Deleted)
            {
                yield return new(key, item.Content.GetContent()[(int)item.Length - 1]);
            }
        }
    }

    internal static object? ValueToJson(object? v)
    {
        if (v is not AbstractType t)
        {
            return v;
        }

        NestingGuard.EnsureStack();
        return t.ToJson();
    }
}
