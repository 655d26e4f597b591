using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// A batch of changes to a document (yjs <c>Transaction</c>): what was deleted, which types changed, and
/// the state before. Observers, garbage collection, struct merging and update events run when the
/// outermost transaction ends.
/// </summary>
public sealed class Transaction
{
    internal Transaction(Doc doc, object? origin, bool local)
    {
        Doc = doc;
        Origin = origin;
        Local = local;
        BeforeStateMap = doc.Store.CurrentStateVector();
    }

    public Doc Doc { get; }

    /// <summary>What the caller passed to <see cref="Doc.Transact"/> or <see cref="Doc.ApplyUpdate"/>.</summary>
    public object? Origin { get; }

    /// <summary>True for edits made on this document, false for applied updates.</summary>
    public bool Local { get; internal set; }

    /// <summary>What this transaction deleted.</summary>
    public DeleteSet DeleteSet => _deleteSet ??= new();

    // created on the first deletion: most keystrokes delete nothing
    private DeleteSet? _deleteSet;

    /// <summary>The delete set if anything was deleted, else null (without creating one).</summary>
    internal DeleteSet? DeletesOrNull => _deleteSet;

    /// <summary>Per client, the clock before the transaction. Shared with the store's cache: never modify it.</summary>
    public IReadOnlyDictionary<ulong, long> BeforeState => BeforeStateMap;

    public IReadOnlyDictionary<ulong, long> AfterState => AfterStateMap;

    // typed, so that internal loops enumerate without boxing
    internal readonly ClockMap BeforeStateMap;

    internal ClockMap AfterStateMap = ClockMap.Empty;


    // Almost every transaction changes one type (a keystroke in one text): that case is kept in two
    // fields, and the dictionary is built only for a second type or when someone asks for it.
    private Dictionary<AbstractType, HashSet<string?>>? _changed;
    private AbstractType? _soleType;
    private HashSet<string?>? _soleSubs; // null: only the list content changed

    /// <summary>Types whose content changed, with the changed keys (null for list changes).</summary>
    public Dictionary<AbstractType, HashSet<string?>> Changed
    {
        get
        {
            MaterializeChanged();
            return _changed!;
        }
    }

    private void MaterializeChanged()
    {
        if (_changed is not null)
        {
            return;
        }

        _changed = new(ReferenceEqualityComparer.Instance);
        if (_soleType is not null)
        {
            _changed[_soleType] = _soleSubs ?? [null];
            _soleType = null;
            _soleSubs = null;
        }
    }

    internal bool HasChangedTypes => _soleType is not null || _changed is { Count: > 0 };

    /// <summary>The changed types and keys, without building the dictionary for the one-type case.</summary>
    internal void CallChangedObservers()
    {
        if (_changed is null)
        {
            if (_soleType is { } t && (t.Item is null || !t.Item.Deleted))
            {
                t.CallObserver(this, _soleSubs);
            }

            return;
        }

        foreach (var (type, subs) in _changed)
        {
            if (type.Item is null || !type.Item.Deleted)
            {
                type.CallObserver(this, subs);
            }
        }
    }

    internal void RemoveChanged(AbstractType type)
    {
        if (_changed is null)
        {
            if (_soleType == type)
            {
                _soleType = null;
                _soleSubs = null;
            }

            return;
        }

        _changed.Remove(type);
    }

    // Most transactions are a keystroke: the collections below are created on first use, and the ones a
    // keystroke never needs share one holder, which keeps the transaction object small.
    private List<Item>? _mergeStructs;
    private RareParts? _rare;

    private sealed class RareParts
    {
        public Dictionary<AbstractType, List<YEvent>>? ChangedParentTypes;
        public HashSet<Doc>? SubdocsAdded;
        public HashSet<Doc>? SubdocsRemoved;
        public HashSet<Doc>? SubdocsLoaded;
    }

    private RareParts Rare => _rare ??= new();

    /// <summary>Every type (and its ancestors) that received events in this transaction.</summary>
    public Dictionary<AbstractType, List<YEvent>> ChangedParentTypes => Rare.ChangedParentTypes ??= new(ReferenceEqualityComparer.Instance);

    internal bool HasChangedParentTypes => _rare?.ChangedParentTypes is { Count: > 0 };

    internal List<Item> MergeStructs => _mergeStructs ??= [];

    internal bool HasMergeStructs => _mergeStructs is { Count: > 0 };

    internal HashSet<Doc> SubdocsAdded => Rare.SubdocsAdded ??= new(ReferenceEqualityComparer.Instance);

    internal HashSet<Doc> SubdocsRemoved => Rare.SubdocsRemoved ??= new(ReferenceEqualityComparer.Instance);

    internal HashSet<Doc> SubdocsLoaded => Rare.SubdocsLoaded ??= new(ReferenceEqualityComparer.Instance);

    internal bool HasSubdocChanges => _rare is { } r && (r.SubdocsAdded is { Count: > 0 } || r.SubdocsRemoved is { Count: > 0 } || r.SubdocsLoaded is { Count: > 0 });

    internal bool NeedFormattingCleanup { get; set; }

    internal Id NextId()
    {
        ulong client = Doc.ClientId;
        return new Id(client, Doc.Store.GetState(client));
    }

    internal void AddChangedType(AbstractType type, string? parentSub)
    {
        var item = type.Item;
        if (item is null || (item.Id.Clock < BeforeStateMap.Get(item.Id.Client) && !item.Deleted))
        {
            if (_changed is null)
            {
                if (_soleType is null)
                {
                    _soleType = type;
                    _soleSubs = parentSub is null ? null : [parentSub];
                    return;
                }

                if (_soleType == type)
                {
                    if (parentSub is null && _soleSubs is null)
                    {
                        return;
                    }

                    _soleSubs ??= [null];
                    _soleSubs.Add(parentSub);
                    return;
                }

                MaterializeChanged();
            }

            if (!_changed!.TryGetValue(type, out var subs))
            {
                subs = [];
                _changed[type] = subs;
            }

            subs.Add(parentSub);
        }
    }

    /// <summary>The update this transaction produced, or null if it changed nothing (yjs <c>writeUpdateMessageFromTransaction</c>).</summary>
    internal byte[]? EncodeUpdate(UpdateFormat format)
    {
        var deletes = _deleteSet;
        bool changed = deletes is { IsEmpty: false };
        if (!changed)
        {
            foreach (var (client, clock) in AfterStateMap)
            {
                if (!BeforeStateMap.TryGetValue(client, out long before) || before != clock)
                {
                    changed = true;
                    break;
                }
            }
        }

        if (!changed)
        {
            return null;
        }

        deletes?.SortAndMerge();
        var encoder = format == UpdateFormat.V1 ? Doc.RentV1Encoder() : UpdateEncoder.Create(format);
        DocEncoding.WriteClientsStructs(encoder, Doc.Store, BeforeStateMap);
        (deletes ?? DeleteSet.Empty).Write(encoder);
        return encoder.ToArray();
    }
}
