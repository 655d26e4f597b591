using System.Text;

namespace Collab.Crdt;

/// <summary>Shared rich text (yjs <c>Y.Text</c>): strings, embeds and formatting marks in one list.</summary>
public class YText : AbstractType
{
    private List<Action>? _pending = [];
    private StringBuilder? _prelimText = new();

    public YText()
    {
        SearchMarkers = [];
    }

    public YText(string initial)
        : this() => _prelimText!.Append(initial);

    internal override TypeRef TypeRef => TypeRef.Text;

    internal bool HasFormatting { get; set; }

    public long Length => Doc is null ? _prelimText!.Length : LengthValue;

    internal override void Integrate(Doc doc, Item? item)
    {
        base.Integrate(doc, item);
        string prelim = _prelimText!.ToString();
        var pending = _pending!;
        _prelimText = null;
        _pending = null;
        if (prelim.Length > 0)
        {
            Insert(0, prelim);
        }

        foreach (var action in pending)
        {
            action();
        }
    }

    public override string ToString()
    {
        if (Doc is null)
        {
            return _prelimText!.ToString();
        }

        var sb = new StringBuilder((int)Math.Min(LengthValue, int.MaxValue));
        for (var n = Start; n is not null; n = n.Right)
        {
            if (!n.Deleted && n.Countable && n.Content is ContentString cs)
            {
                cs.AppendTo(sb);
            }
        }

        return sb.ToString();
    }

    public override object? ToJson() => ToString();

    internal override YEvent CreateEvent(Transaction transaction, HashSet<string?> keysChanged) => new YTextEvent(this, transaction, keysChanged);

    /// <summary>Inserts text; without attributes it takes the formatting at that position (yjs <c>insert</c>).</summary>
    public void Insert(long index, string text, JsObject? attributes = null)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (Doc is null)
        {
            if (attributes is null)
            {
                _prelimText!.Insert((int)index, text);
            }
            else
            {
                DeferInsert(index, text, attributes);
            }

            return;
        }

        Doc.Transact((Text: this, Index: index, Str: text, Attributes: attributes), static (t, s) => s.Text.InsertTextAt(t, s.Index, s.Str, s.Attributes));
    }

    // Edits of a text not yet in a document run when it is integrated. They live in their own methods
    // because a lambda capturing a method's parameters allocates its closure on every call of that method.
    private void DeferInsert(long index, string text, JsObject? attributes) => _pending!.Add(() => Insert(index, text, attributes));

    private void DeferInsertEmbed(long index, object embed, JsObject? attributes) => _pending!.Add(() => InsertEmbed(index, embed, attributes));

    private void DeferFormat(long index, long length, JsObject attributes) => _pending!.Add(() => Format(index, length, attributes));

    private void DeferApplyDelta(IReadOnlyList<YDeltaOp> delta, bool sanitize) => _pending!.Add(() => ApplyDelta(delta, sanitize));

    private void InsertTextAt(Transaction t, long index, string text, JsObject? attributes)
    {
        {
            var pos = FindPosition(t, index, useSearchMarker: attributes is null);
            if (attributes is null)
            {
                attributes = EmptyAttributes;
                if (pos.HasAttributes)
                {
                    attributes = new JsObject();
                    foreach (var (k, v) in pos.CurrentAttributes)
                    {
                        attributes.Set(k, v);
                    }
                }
            }

            InsertContent(t, pos, new ContentString(text), attributes);
            ReturnPosition(pos);
        }
    }

    private void DeleteAt(Transaction t, long index, long length)
    {
        var pos = FindPosition(t, index, useSearchMarker: true);
        DeleteText(t, pos, length);
        ReturnPosition(pos);
    }

    /// <summary>Inserts an embed (an object) or a nested type at a position.</summary>
    public void InsertEmbed(long index, object embed, JsObject? attributes = null)
    {
        attributes ??= new JsObject();
        if (Doc is null)
        {
            DeferInsertEmbed(index, embed, attributes);
            return;
        }

        Doc.Transact(t =>
        {
            var pos = FindPosition(t, index, useSearchMarker: false);
            Content content = embed is AbstractType type ? new ContentType(type) : new ContentEmbed(JsValue.Normalize(embed));
            InsertContent(t, pos, content, attributes);
        });
    }

    public void Delete(long index, long length)
    {
        if (length == 0)
        {
            return;
        }

        if (Doc is null)
        {
            _prelimText!.Remove((int)index, (int)length);
            return;
        }

        Doc.Transact((Text: this, Index: index, Length: length), static (t, s) => s.Text.DeleteAt(t, s.Index, s.Length));
    }

    /// <summary>Applies formatting attributes to a range; a null value removes that attribute.</summary>
    public void Format(long index, long length, JsObject attributes)
    {
        if (length == 0)
        {
            return;
        }

        if (Doc is null)
        {
            DeferFormat(index, length, attributes);
            return;
        }

        Doc.Transact(t =>
        {
            var pos = FindPosition(t, index, useSearchMarker: false);
            if (pos.Right is null)
            {
                return;
            }

            FormatText(t, pos, length, attributes);
        });
    }

    /// <summary>
    /// Applies a Quill-style delta in one transaction (yjs <c>applyDelta</c>): inserts (strings, embeds or
    /// types, with attributes), retains (formatting the range with their attributes) and deletes.
    /// </summary>
    public void ApplyDelta(IReadOnlyList<YDeltaOp> delta, bool sanitize = true)
    {
        if (Doc is null)
        {
            DeferApplyDelta(delta, sanitize);
            return;
        }

        Doc.Transact(t =>
        {
            var currPos = new ItemTextListPosition(null, Start, 0);
            for (int i = 0; i < delta.Count; i++)
            {
                var op = delta[i];
                if (op.Insert is { Count: > 0 } insert)
                {
                    object? ins = insert[0];
                    // yjs trims a final newline only when sanitize is off (Quill's implicit last paragraph)
                    if (!sanitize && ins is string str && i == delta.Count - 1 && currPos.Right is null && str.EndsWith('\n'))
                    {
                        ins = str[..^1];
                    }

                    if (ins is not string { Length: 0 })
                    {
                        Content content = ins switch
                        {
                            string text => new ContentString(text),
                            AbstractType type => new ContentType(type),
                            _ => new ContentEmbed(JsValue.Normalize(ins)),
                        };
                        InsertContent(t, currPos, content, op.Attributes ?? new JsObject());
                    }
                }
                else if (op.Retain is { } retain)
                {
                    FormatText(t, currPos, retain, op.Attributes ?? new JsObject());
                }
                else if (op.Delete is { } del)
                {
                    DeleteText(t, currPos, del);
                }
            }
        });
    }

    /// <summary>The content as a Quill-style delta (yjs <c>toDelta</c>), without snapshots.</summary>
    public List<YDeltaOp> ToDelta()
    {
        var ops = new List<YDeltaOp>();
        var current = new JsObject();
        var currentList = new List<KeyValuePair<string, object?>>();
        var str = new StringBuilder();

        JsObject? Attrs()
        {
            if (currentList.Count == 0)
            {
                return null;
            }

            var a = new JsObject();
            foreach (var (k, v) in currentList)
            {
                a.Set(k, v);
            }

            return a;
        }

        void PackStr()
        {
            if (str.Length > 0)
            {
                ops.Add(new YDeltaOp(Insert: [str.ToString()], Attributes: Attrs()));
                str.Clear();
            }
        }

        for (var n = Start; n is not null; n = n.Right)
        {
            if (n.Deleted)
            {
                continue;
            }

            switch (n.Content)
            {
                case ContentString cs:
                    cs.AppendTo(str);
                    break;
                case ContentType or ContentEmbed:
                    PackStr();
                    ops.Add(new YDeltaOp(Insert: [n.Content.GetContent()[0]], Attributes: Attrs()));
                    break;
                case ContentFormat cf:
                    PackStr();
                    int idx = currentList.FindIndex(kv => kv.Key == cf.Key);
                    if (cf.Value is null)
                    {
                        if (idx >= 0)
                        {
                            currentList.RemoveAt(idx);
                        }
                    }
                    else if (idx >= 0)
                    {
                        currentList[idx] = new(cf.Key, cf.Value);
                    }
                    else
                    {
                        currentList.Add(new(cf.Key, cf.Value));
                    }

                    break;
            }
        }

        PackStr();
        return ops;
    }

    // ---- yjs YText internals ----

    internal sealed class ItemTextListPosition(Item? left, Item? right, long index)
    {
        public Item? Left = left;
        public Item? Right = right;
        public long Index = index;

        // created on first use: plain text never needs it
        public OrderedDictionary<string, object?>? Attrs;

        public OrderedDictionary<string, object?> CurrentAttributes => Attrs ??= new(StringComparer.Ordinal);

        public bool HasAttributes => Attrs is { Count: > 0 };

        public void Forward()
        {
            var r = Right ?? throw new InvalidOperationException("Cannot move past the end of the text.");
            if (r.Content is ContentFormat cf)
            {
                if (!r.Deleted)
                {
                    UpdateCurrentAttributes(this, cf);
                }
            }
            else if (!r.Deleted)
            {
                Index += r.Length;
            }

            Left = r;
            Right = r.Right;
        }
    }

    private static void UpdateCurrentAttributes(ItemTextListPosition pos, ContentFormat format)
    {
        if (format.Value is null)
        {
            pos.Attrs?.Remove(format.Key);
        }
        else
        {
            pos.CurrentAttributes[format.Key] = format.Value;
        }
    }

    private static void UpdateCurrentAttributes(OrderedDictionary<string, object?> current, ContentFormat format)
    {
        if (format.Value is null)
        {
            current.Remove(format.Key);
        }
        else
        {
            current[format.Key] = format.Value;
        }
    }

    private static ItemTextListPosition FindNextPosition(Transaction transaction, ItemTextListPosition pos, long count)
    {
        while (pos.Right is not null && count > 0)
        {
            var r = pos.Right;
            if (r.Content is ContentFormat cf)
            {
                if (!r.Deleted)
                {
                    UpdateCurrentAttributes(pos, cf);
                }
            }
            else if (!r.Deleted)
            {
                if (count < r.Length)
                {
                    // split right
                    transaction.Doc.Store.GetItemCleanStart(transaction, new Id(r.Id.Client, r.Id.Clock + count));
                }

                pos.Index += r.Length;
                count -= r.Length;
            }

            pos.Left = pos.Right;
            pos.Right = pos.Right.Right;
        }

        return pos;
    }

    private ItemTextListPosition FindPosition(Transaction transaction, long index, bool useSearchMarker)
    {
        var marker = useSearchMarker ? ArraySearchMarker.Find(this, index) : null;
        if (marker is not null)
        {
            var pos = RentPosition(marker.P.Left, marker.P, marker.Index);
            return FindNextPosition(transaction, pos, index - marker.Index);
        }

        return FindNextPosition(transaction, RentPosition(null, Start, 0), index);
    }

    // A keystroke needs one position; the last one is kept for the next instead of allocating per edit.
    // Only the plain insert and delete paths give theirs back, after their last use of it.
    private ItemTextListPosition? _sparePosition;

    private ItemTextListPosition RentPosition(Item? left, Item? right, long index)
    {
        var pos = _sparePosition;
        if (pos is null)
        {
            return new ItemTextListPosition(left, right, index);
        }

        _sparePosition = null;
        pos.Left = left;
        pos.Right = right;
        pos.Index = index;
        pos.Attrs?.Clear();
        return pos;
    }

    private void ReturnPosition(ItemTextListPosition pos) => _sparePosition = pos;

    private Item NewItem(Transaction t, Item? left, Item? right, Content content)
    {
        ulong client = t.Doc.ClientId;
        return new Item(new Id(client, t.Doc.Store.GetState(client)), left, left?.LastId, right, right?.Id, this, null, content);
    }

    private static readonly JsObject EmptyAttributes = new();

    private void InsertNegatedAttributes(Transaction transaction, ItemTextListPosition currPos, List<KeyValuePair<string, object?>>? negated)
    {
        if (negated is null)
        {
            // nothing to restore; moving the position further would have no effect
            return;
        }

        // check if we really need to remove attributes
        while (currPos.Right is not null
            && (currPos.Right.Deleted
                || (currPos.Right.Content is ContentFormat cf && TryGet(negated, cf.Key, out var nv) && EqualAttrs(nv, cf.Value))))
        {
            if (!currPos.Right.Deleted)
            {
                Remove(negated, ((ContentFormat)currPos.Right.Content).Key);
            }

            currPos.Forward();
        }

        foreach (var (key, val) in negated)
        {
            var nextFormat = NewItem(transaction, currPos.Left, currPos.Right, new ContentFormat(key, val));
            nextFormat.Integrate(transaction, 0);
            currPos.Right = nextFormat;
            currPos.Forward();
        }
    }

    private static void MinimizeAttributeChanges(ItemTextListPosition currPos, JsObject attributes)
    {
        while (currPos.Right is not null)
        {
            if (currPos.Right.Deleted
                || (currPos.Right.Content is ContentFormat cf && EqualAttrs(AttrOrNull(attributes, cf.Key), cf.Value)))
            {
                currPos.Forward();
                continue;
            }

            break;
        }
    }

    private List<KeyValuePair<string, object?>>? InsertAttributes(Transaction transaction, ItemTextListPosition currPos, JsObject attributes)
    {
        if (attributes.Count == 0)
        {
            return null;
        }

        var negated = new List<KeyValuePair<string, object?>>();
        foreach (var (key, val) in attributes)
        {
            object? currentVal = currPos.Attrs?.GetValueOrDefault(key);
            if (!EqualAttrs(currentVal, val))
            {
                // save negated attribute (set to null if currentVal undefined)
                Set(negated, key, currentVal);
                currPos.Right = NewItem(transaction, currPos.Left, currPos.Right, new ContentFormat(key, val));
                currPos.Right.Integrate(transaction, 0);
                currPos.Forward();
            }
        }

        return negated;
    }

    private void InsertContent(Transaction transaction, ItemTextListPosition currPos, Content content, JsObject attributes)
    {
        if (currPos.HasAttributes)
        {
            attributes = Copy(attributes);
            foreach (var key in currPos.CurrentAttributes.Keys)
            {
                if (!attributes.ContainsKey(key))
                {
                    attributes.Set(key, null);
                }
            }
        }

        MinimizeAttributeChanges(currPos, attributes);
        var negated = InsertAttributes(transaction, currPos, attributes);
        var left = currPos.Left;
        var right = currPos.Right;
        long index = currPos.Index;
        if (SearchMarkers is not null)
        {
            ArraySearchMarker.UpdateChanges(SearchMarkers, currPos.Index, content.Length);
        }

        right = NewItem(transaction, left, right, content);
        right.Integrate(transaction, 0);
        currPos.Right = right;
        currPos.Index = index;
        currPos.Forward();
        InsertNegatedAttributes(transaction, currPos, negated);
    }

    private void FormatText(Transaction transaction, ItemTextListPosition currPos, long length, JsObject attributes)
    {
        MinimizeAttributeChanges(currPos, attributes);
        var negated = InsertAttributes(transaction, currPos, attributes) ?? [];
        while (currPos.Right is not null
            && (length > 0 || (negated.Count > 0 && (currPos.Right.Deleted || currPos.Right.Content is ContentFormat))))
        {
            var r = currPos.Right;
            if (!r.Deleted)
            {
                if (r.Content is ContentFormat cf)
                {
                    if (attributes.TryGetValue(cf.Key, out var attr) && attr is not Undefined)
                    {
                        if (EqualAttrs(attr, cf.Value))
                        {
                            Remove(negated, cf.Key);
                        }
                        else
                        {
                            if (length == 0)
                            {
                                // no need to further extend negatedAttributes
                                break;
                            }

                            Set(negated, cf.Key, cf.Value);
                        }

                        r.Delete(transaction);
                    }
                    else
                    {
                        currPos.CurrentAttributes[cf.Key] = cf.Value;
                    }
                }
                else
                {
                    if (length < r.Length)
                    {
                        transaction.Doc.Store.GetItemCleanStart(transaction, new Id(r.Id.Client, r.Id.Clock + length));
                    }

                    length -= r.Length;
                }
            }

            currPos.Forward();
        }

        // formatting past the end: yjs pads with newlines
        if (length > 0)
        {
            currPos.Right = NewItem(transaction, currPos.Left, currPos.Right, new ContentString(new string('\n', (int)length)));
            currPos.Right.Integrate(transaction, 0);
            currPos.Forward();
        }

        InsertNegatedAttributes(transaction, currPos, negated);
    }

    private static int CleanupFormattingGap(Transaction transaction, Item? start, Item? curr, OrderedDictionary<string, object?>? startAttributes, ItemTextListPosition currPos)
    {
        var end0 = start;
        while (end0 is not null && (!end0.Countable || end0.Deleted))
        {
            if (!end0.Deleted && end0.Content is ContentFormat)
            {
                return CleanupFormattingGap(transaction, start, curr, startAttributes ?? new(StringComparer.Ordinal), currPos.CurrentAttributes);
            }

            end0 = end0.Right;
        }

        // no format marks between here and the next content: only formats after that could be cleaned,
        // and the loop below would find none either
        for (var n = start; n is not null && n != end0; n = n.Right)
        {
            if (!n.Deleted && n.Content is ContentFormat)
            {
                return CleanupFormattingGap(transaction, start, curr, startAttributes ?? new(StringComparer.Ordinal), currPos.CurrentAttributes);
            }
        }

        return 0;
    }

    private static int CleanupFormattingGap(Transaction transaction, Item? start, Item? curr, OrderedDictionary<string, object?> startAttributes, OrderedDictionary<string, object?> currAttributes)
    {
        var end = start;
        var endFormats = new Dictionary<string, ContentFormat>(StringComparer.Ordinal);
        while (end is not null && (!end.Countable || end.Deleted))
        {
            if (!end.Deleted && end.Content is ContentFormat cf)
            {
                endFormats[cf.Key] = cf;
            }

            end = end.Right;
        }

        int cleanups = 0;
        bool reachedCurr = false;
        while (start is not null && start != end)
        {
            if (curr == start)
            {
                reachedCurr = true;
            }

            if (!start.Deleted && start.Content is ContentFormat content)
            {
                object? startAttrValue = startAttributes.GetValueOrDefault(content.Key);
                if (endFormats.GetValueOrDefault(content.Key) != content || ReferenceOrValueEquals(startAttrValue, content.Value))
                {
                    // either this format is overwritten or it is not necessary because the attribute already existed
                    start.Delete(transaction);
                    cleanups++;
                    if (!reachedCurr && ReferenceOrValueEquals(currAttributes.GetValueOrDefault(content.Key), content.Value) && !ReferenceOrValueEquals(startAttrValue, content.Value))
                    {
                        if (startAttrValue is null)
                        {
                            currAttributes.Remove(content.Key);
                        }
                        else
                        {
                            currAttributes[content.Key] = startAttrValue;
                        }
                    }
                }

                if (!reachedCurr && !start.Deleted)
                {
                    UpdateCurrentAttributes(currAttributes, content);
                }
            }

            start = start.Right;
        }

        return cleanups;
    }

    private static void CleanupContextlessFormattingGap(Transaction transaction, Item? item)
    {
        // iterate until item.right is null or content
        while (item is not null && item.Right is not null && (item.Right.Deleted || !item.Right.Countable))
        {
            item = item.Right;
        }

        var attrs = new HashSet<string>(StringComparer.Ordinal);
        // iterate back until a content item is found
        while (item is not null && (item.Deleted || !item.Countable))
        {
            if (!item.Deleted && item.Content is ContentFormat cf)
            {
                if (!attrs.Add(cf.Key))
                {
                    item.Delete(transaction);
                }
            }

            item = item.Left;
        }
    }

    /// <summary>Removes formatting marks that have no effect (yjs <c>cleanupYTextFormatting</c>); returns how many.</summary>
    public int CleanupFormatting()
    {
        int res = 0;
        DocOrThrow.Transact(transaction =>
        {
            var start = Start;
            var end = Start;
            var startAttributes = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            var currentAttributes = new OrderedDictionary<string, object?>(startAttributes, StringComparer.Ordinal);
            while (end is not null)
            {
                if (!end.Deleted)
                {
                    if (end.Content is ContentFormat cf)
                    {
                        UpdateCurrentAttributes(currentAttributes, cf);
                    }
                    else
                    {
                        res += CleanupFormattingGap(transaction, start, end, startAttributes, currentAttributes);
                        startAttributes = new OrderedDictionary<string, object?>(currentAttributes, StringComparer.Ordinal);
                        start = end;
                    }
                }

                end = end.Right;
            }
        });
        return res;
    }

    internal static void CleanupAfterTransaction(Transaction transaction)
    {
        var needFullCleanup = new HashSet<YText>(ReferenceEqualityComparer.Instance);
        var doc = transaction.Doc;
        // check if another formatting item was inserted
        foreach (var (client, afterClock) in transaction.AfterStateMap)
        {
            long clock = transaction.BeforeStateMap.Get(client);
            if (afterClock == clock)
            {
                continue;
            }

            StructStore.IterateStructs(transaction, doc.Store.Clients[client], clock, afterClock, s =>
            {
                if (s is Item { Deleted: false, Content: ContentFormat } item && item.Parent is YText text)
                {
                    needFullCleanup.Add(text);
                }
            });
        }

        // cleanup in a new transaction
        doc.Transact(t =>
        {
            foreach (var (client, deletes) in transaction.DeleteSet.IsEmpty ? [] : transaction.DeleteSet.Clients)
            {
                if (!doc.Store.Clients.TryGetValue(client, out var structs))
                {
                    continue;
                }

                var last = structs[^1];
                long clockState = last.Id.Clock + last.Length;
                foreach (var del in deletes)
                {
                    if (del.Clock >= clockState)
                    {
                        break;
                    }

                    StructStore.IterateStructs(transaction, structs, del.Clock, del.Len, s =>
                    {
                        if (s is not Item item || item.Parent is not YText parent || !parent.HasFormatting || needFullCleanup.Contains(parent))
                        {
                            return;
                        }

                        if (item.Content is ContentFormat)
                        {
                            needFullCleanup.Add(parent);
                        }
                        else
                        {
                            // if no formatting attribute was inserted or deleted, we can make due with contextless formatting cleanups
                            CleanupContextlessFormattingGap(t, item);
                        }
                    });
                }
            }

            foreach (var text in needFullCleanup)
            {
                text.CleanupFormatting();
            }
        });
    }

    private void DeleteText(Transaction transaction, ItemTextListPosition currPos, long length)
    {
        long startLength = length;
        var startAttrs = currPos.HasAttributes ? new OrderedDictionary<string, object?>(currPos.CurrentAttributes, StringComparer.Ordinal) : null;
        var start = currPos.Right;
        while (length > 0 && currPos.Right is not null)
        {
            var r = currPos.Right;
            if (!r.Deleted && r.Content is ContentType or ContentEmbed or ContentString)
            {
                if (length < r.Length)
                {
                    transaction.Doc.Store.GetItemCleanStart(transaction, new Id(r.Id.Client, r.Id.Clock + length));
                }

                length -= r.Length;
                r.Delete(transaction);
            }

            currPos.Forward();
        }

        if (start is not null)
        {
            CleanupFormattingGap(transaction, start, currPos.Right, startAttrs, currPos);
        }

        var parent = (currPos.Left ?? currPos.Right)?.ParentType;
        if (parent?.SearchMarkers is not null)
        {
            ArraySearchMarker.UpdateChanges(parent.SearchMarkers, currPos.Index, -startLength + length);
        }
    }

    // ---- attribute helpers ----

    private static object? AttrOrNull(JsObject attributes, string key) =>
        attributes.TryGetValue(key, out var v) && v is not Undefined ? v : null;

    /// <summary>yjs <c>equalAttrs</c>: identical, or two objects with the same keys and identical values.</summary>
    internal static bool EqualAttrs(object? a, object? b)
    {
        if (ReferenceOrValueEquals(a, b))
        {
            return true;
        }

        // equalFlat: two objects (arrays and byte arrays included) with the same own keys and identical values
        if (OwnProperties(a) is { } pa && OwnProperties(b) is { } pb)
        {
            if (pa.Count != pb.Count)
            {
                return false;
            }

            var lookup = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in pb)
            {
                lookup[k] = v;
            }

            foreach (var (k, v) in pa)
            {
                if (!lookup.TryGetValue(k, out var w) || !ReferenceOrValueEquals(v, w))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>Object.keys with values for JavaScript objects (objects, arrays, byte arrays); null for primitives.</summary>
    internal static List<KeyValuePair<string, object?>>? OwnProperties(object? v)
    {
        switch (v)
        {
            case JsObject o:
                return [.. o];
            case List<object?> list:
            {
                var r = new List<KeyValuePair<string, object?>>(list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    r.Add(new(i.ToString(System.Globalization.CultureInfo.InvariantCulture), list[i]));
                }

                return r;
            }

            case byte[] bytes:
            {
                var r = new List<KeyValuePair<string, object?>>(bytes.Length);
                for (int i = 0; i < bytes.Length; i++)
                {
                    r.Add(new(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (double)bytes[i]));
                }

                return r;
            }

            case AbstractType or Crdt.Doc:
                return [];
            default:
                return null;
        }
    }

    /// <summary>JavaScript <c>===</c> on the value model: primitives by value, objects by reference.</summary>
    internal static bool ReferenceOrValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string x, string y) => x == y,
        (double x, double y) => x == y,
        (bool x, bool y) => x == y,
        (long x, long y) => x == y,
        (Undefined, Undefined) => true,
        _ => ReferenceEquals(a, b),
    };

    private static JsObject Copy(JsObject o)
    {
        var c = new JsObject();
        foreach (var (k, v) in o)
        {
            c.Set(k, v);
        }

        return c;
    }

    private static bool TryGet(List<KeyValuePair<string, object?>> list, string key, out object? value)
    {
        foreach (var kv in list)
        {
            if (kv.Key == key)
            {
                value = kv.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    private static void Set(List<KeyValuePair<string, object?>> list, string key, object? value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Key == key)
            {
                list[i] = new(key, value);
                return;
            }
        }

        list.Add(new(key, value));
    }

    private static void Remove(List<KeyValuePair<string, object?>> list, string key) => list.RemoveAll(kv => kv.Key == key);
}
