using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// A position in a list type that survives concurrent edits (yjs <c>RelativePosition</c>): the item at
/// the position, or the type itself for its start/end. <see cref="Assoc"/> &lt; 0 associates with the left.
/// Wire: <c>0</c> + item id, <c>1</c> + root type name, or <c>2</c> + type item id; then <c>varInt assoc</c>.
/// </summary>
public sealed record RelativePosition(Id? Type, string? TypeName, Id? Item, int Assoc = 0)
{
    /// <summary>yjs <c>createRelativePositionFromTypeIndex</c>.</summary>
    public static RelativePosition FromTypeIndex(AbstractType type, long index, int assoc = 0)
    {
        var t = type.Start;
        if (assoc < 0)
        {
            if (index == 0)
            {
                return Create(type, null, assoc);
            }

            index--;
        }

        while (t is not null)
        {
            if (!t.Deleted && t.Countable)
            {
                if (t.Length > index)
                {
                    return Create(type, new Id(t.Id.Client, t.Id.Clock + index), assoc);
                }

                index -= t.Length;
            }

            if (t.Right is null && assoc < 0)
            {
                return Create(type, t.LastId, assoc);
            }

            t = t.Right;
        }

        return Create(type, null, assoc);
    }

    private static RelativePosition Create(AbstractType type, Id? item, int assoc) =>
        type.Item is null
            ? new RelativePosition(null, type.RootName, item, assoc)
            : new RelativePosition(type.Item.Id, null, item, assoc);

    public byte[] Encode()
    {
        var e = new Lib0Encoder(16);
        if (Item is { } item)
        {
            e.WriteVarUint(0UL);
            e.WriteVarUint(item.Client);
            e.WriteVarUint(item.Clock);
        }
        else if (TypeName is not null)
        {
            e.WriteUint8(1);
            e.WriteVarString(TypeName);
        }
        else if (Type is { } type)
        {
            e.WriteUint8(2);
            e.WriteVarUint(type.Client);
            e.WriteVarUint(type.Clock);
        }
        else
        {
            throw new InvalidOperationException("A relative position needs an item, a type name or a type id.");
        }

        e.WriteVarInt(Assoc);
        return e.ToArray();
    }

    public static RelativePosition Decode(byte[] bytes)
    {
        var d = new Lib0Decoder(bytes, DecoderLimits.Default);
        Id? type = null;
        string? tname = null;
        Id? item = null;
        switch (d.ReadVarUint())
        {
            case 0:
                item = new Id(d.ReadVarUint(), d.ReadVarUintLong());
                break;
            case 1:
                tname = d.ReadVarString();
                break;
            case 2:
                type = new Id(d.ReadVarUint(), d.ReadVarUintLong());
                break;
        }

        int assoc = d.HasContent ? (int)d.ReadVarInt() : 0;
        return new RelativePosition(type, tname, item, assoc);
    }

    /// <summary>The type and index this position points to now, or null if it is gone (yjs <c>createAbsolutePositionFromRelativePosition</c>).</summary>
    public (AbstractType Type, long Index)? ToAbsolute(Doc doc)
    {
        var store = doc.Store;
        AbstractType type;
        long index = 0;
        if (Item is { } rightId)
        {
            if (store.GetState(rightId.Client) <= rightId.Clock)
            {
                return null;
            }

            if (store.Find(rightId) is not Item right)
            {
                return null;
            }

            long diff = rightId.Clock - right.Id.Clock;
            type = right.ParentType;
            if (type.Item is null || !type.Item.Deleted)
            {
                index = right.Deleted || !right.Countable ? 0 : diff + (Assoc >= 0 ? 0 : 1);
                for (var n = right.Left; n is not null; n = n.Left)
                {
                    if (!n.Deleted && n.Countable)
                    {
                        index += n.Length;
                    }
                }
            }
        }
        else
        {
            if (TypeName is not null)
            {
                type = doc.GetOrCreateRoot(TypeName);
            }
            else if (Type is { } typeId)
            {
                if (store.GetState(typeId.Client) <= typeId.Clock || store.Find(typeId) is not Item { Content: ContentType { Type: { } t } })
                {
                    return null;
                }

                type = t;
            }
            else
            {
                return null;
            }

            index = Assoc >= 0 ? type.LengthValue : 0;
        }

        return (type, index);
    }
}
