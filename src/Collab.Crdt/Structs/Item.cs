using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// An inserted run of content.
/// Wire: info byte (low 5 bits content ref; 0x80 origin, 0x40 right origin, 0x20 parentSub), origin id,
/// right origin id, and only when neither origin is present the parent (<c>1</c> + root name or <c>0</c> + id)
/// and the parentSub string; then the content.
/// </summary>
public sealed class Item : AbstractStruct
{
    internal Item(Id id, Id? origin, Id? rightOrigin, object? parent, string? parentSub, Content content)
        : base(id, content.Length)
    {
        Origin = origin;
        RightOrigin = rightOrigin;
        Parent = parent;
        ParentSub = parentSub;
        Content = content;
    }

    /// <summary>The item this one was inserted after, if any.</summary>
    public Id? Origin { get; internal set; }

    /// <summary>The item this one was inserted before, if any.</summary>
    public Id? RightOrigin { get; internal set; }

    /// <summary>In a decoded update: the root type's name (<see cref="string"/>), the parent item's <see cref="Id"/>, or null when the origins imply it.</summary>
    public object? Parent { get; internal set; }

    /// <summary>The map key, for an item in a map.</summary>
    public string? ParentSub { get; internal set; }

    public Content Content { get; internal set; }

    public override bool Deleted => Content is ContentDeleted;

    // Items read from an update are never merged by the update algebra: yjs' Item.mergeWith requires
    // the right neighbour to be linked (this.right === right), which lazily read items never are.
    internal override bool MergeWith(AbstractStruct right) => false;

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
