using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// An inserted run of content.
/// Wire: info byte (low 5 bits content ref; 0x80 origin, 0x40 right origin, 0x20 parentSub), origin id,
/// right origin id, and only when neither origin is present the parent (<c>1</c> + root name or <c>0</c> + id)
/// and the parentSub string; then the content.
/// </summary>
public sealed partial class Item : AbstractStruct
{
    private const byte KeepBit = 1;
    private const byte CountableBit = 2;
    private const byte DeletedBit = 4;
    private const byte MarkerBit = 8;
    private const byte HasOriginBit = 16;
    private const byte HasRightOriginBit = 32;

    private byte _flags;

    // Not Id?: a nullable Id takes 24 bytes with padding, and a document holds one item per run of text.
    private Id _origin;
    private Id _rightOrigin;

    internal Item(Id id, Id? origin, Id? rightOrigin, object? parent, string? parentSub, Content content)
        : this(id, null, origin, null, rightOrigin, parent, parentSub, content)
    {
    }

    internal Item(Id id, Item? left, Id? origin, Item? right, Id? rightOrigin, object? parent, string? parentSub, Content content)
        : base(id, content.Length)
    {
        Left = left;
        Origin = origin;
        Right = right;
        RightOrigin = rightOrigin;
        Parent = parent;
        ParentSub = parentSub;
        Content = content;
        _flags |= content.IsCountable ? CountableBit : (byte)0;
    }

    /// <summary>The item this one was inserted after, if any.</summary>
    public Id? Origin
    {
        get => (_flags & HasOriginBit) != 0 ? _origin : null;
        internal set => _flags = SetId(ref _origin, value, HasOriginBit);
    }

    /// <summary>The item this one was inserted before, if any.</summary>
    public Id? RightOrigin
    {
        get => (_flags & HasRightOriginBit) != 0 ? _rightOrigin : null;
        internal set => _flags = SetId(ref _rightOrigin, value, HasRightOriginBit);
    }

    private byte SetId(ref Id field, Id? value, byte bit)
    {
        if (value is { } id)
        {
            field = id;
            return (byte)(_flags | bit);
        }

        field = default;
        return (byte)(_flags & ~bit);
    }

    /// <summary>
    /// In a decoded update: the root type's name (<see cref="string"/>), the parent item's <see cref="Id"/>,
    /// or null when the origins imply it. In a document: the <see cref="AbstractType"/> holding the item.
    /// </summary>
    public object? Parent { get; internal set; }

    /// <summary>The map key, for an item in a map.</summary>
    public string? ParentSub { get; internal set; }

    public Content Content { get; internal set; }

    /// <summary>The left neighbour in the parent's list (document only).</summary>
    internal Item? Left;

    /// <summary>The right neighbour in the parent's list (document only).</summary>
    internal Item? Right;

    internal AbstractType ParentType => (AbstractType)Parent!;

    public override bool Deleted => (_flags & DeletedBit) != 0;

    internal bool Countable => (_flags & CountableBit) != 0;

    internal bool Keep
    {
        get => (_flags & KeepBit) != 0;
        set => _flags = value ? (byte)(_flags | KeepBit) : (byte)(_flags & ~KeepBit);
    }

    internal bool Marker
    {
        get => (_flags & MarkerBit) != 0;
        set => _flags = value ? (byte)(_flags | MarkerBit) : (byte)(_flags & ~MarkerBit);
    }

    internal void MarkDeleted() => _flags |= DeletedBit;

    internal Id LastId => Length == 1 ? Id : new Id(Id.Client, Id.Clock + Length - 1);

    /// <summary>The next neighbour that is not deleted.</summary>
    internal Item? Next
    {
        get
        {
            var n = Right;
            while (n is not null && n.Deleted)
            {
                n = n.Right;
            }

            return n;
        }
    }

    /// <summary>The previous neighbour that is not deleted.</summary>
    internal Item? Prev
    {
        get
        {
            var n = Left;
            while (n is not null && n.Deleted)
            {
                n = n.Left;
            }

            return n;
        }
    }

    // yjs Item.mergeWith. Items read by the update algebra are never linked (Right is null), so there it
    // always answers false, exactly as in yjs.
    internal override bool MergeWith(AbstractStruct right)
    {
        if (right is not Item r
            || r.Origin != LastId
            || Right != r
            || RightOrigin != r.RightOrigin
            || Id.Client != r.Id.Client
            || Id.Clock + Length != r.Id.Clock
            || Deleted != r.Deleted
            || Content.GetType() != r.Content.GetType()
            || !Content.MergeWith(r.Content))
        {
            return false;
        }

        var markers = (Parent as AbstractType)?.SearchMarkers;
        if (markers is not null)
        {
            foreach (var marker in markers)
            {
                if (marker.P == r)
                {
                    // right is going to be forgotten, so the marker moves to this item
                    marker.P = this;
                    if (!Deleted && Countable)
                    {
                        marker.Index -= Length;
                    }
                }
            }
        }

        if (r.Keep)
        {
            Keep = true;
        }

        Right = r.Right;
        if (Right is not null)
        {
            Right.Left = this;
        }

        Length += r.Length;
        return true;
    }

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        Id? origin = offset > 0 ? new Id(Id.Client, Id.Clock + offset - 1) : Origin;
        Id? rightOrigin = RightOrigin;
        string? parentSub = ParentSub;
        int info = (Content.Ref & 0x1F)
            | (origin is null ? 0 : 0x80)
            | (rightOrigin is null ? 0 : 0x40)
            | (parentSub is null ? 0 : 0x20);
        encoder.WriteInfo((byte)info);
        if (origin is { } o)
        {
            encoder.WriteLeftId(o);
        }

        if (rightOrigin is { } ro)
        {
            encoder.WriteRightId(ro);
        }

        if (origin is null && rightOrigin is null)
        {
            switch (Parent)
            {
                case AbstractType type when type.Item is null:
                    encoder.WriteParentInfo(true);
                    encoder.WriteString(type.RootName!);
                    break;
                case AbstractType type:
                    encoder.WriteParentInfo(false);
                    encoder.WriteLeftId(type.Item!.Id);
                    break;
                case string rootName:
                    encoder.WriteParentInfo(true);
                    encoder.WriteString(rootName);
                    break;
                case Id parentId:
                    encoder.WriteParentInfo(false);
                    encoder.WriteLeftId(parentId);
                    break;
                default:
                    ThrowHelper.Invalid(YjsFormatError.InvalidValue, $"Item {Id} has neither origins nor a parent.");
                    break;
            }

            if (parentSub is not null)
            {
                encoder.WriteString(parentSub);
            }
        }

        Content.Write(encoder, offset);
    }

    internal override AbstractStruct SliceRight(long diff) =>
        new Item(new Id(Id.Client, Id.Clock + diff), new Id(Id.Client, Id.Clock + diff - 1), RightOrigin, Parent, ParentSub, Content.Splice(diff));
}
