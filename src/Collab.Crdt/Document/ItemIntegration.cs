namespace Collab.Crdt;

// The document side of Item: finding dependencies, YATA integration, deletion, splitting and GC,
// following yjs 13.6 Item.js.
public sealed partial class Item
{
    /// <summary>
    /// The client whose structs this item still waits for, or null once all its references are known;
    /// in that case the origins are resolved into Left/Right and the parent into a type.
    /// </summary>
    internal ulong? GetMissing(Transaction transaction, StructStore store)
    {
        if (Origin is { } o && o.Client != Id.Client && o.Clock >= store.GetState(o.Client))
        {
            return o.Client;
        }

        if (RightOrigin is { } ro && ro.Client != Id.Client && ro.Clock >= store.GetState(ro.Client))
        {
            return ro.Client;
        }

        if (Parent is Id pid && Id.Client != pid.Client && pid.Clock >= store.GetState(pid.Client))
        {
            return pid.Client;
        }

        bool leftIsGc = false;
        bool rightIsGc = false;
        if (Origin is { } origin)
        {
            var left = store.GetItemCleanEnd(transaction, origin);
            if (left is Item li)
            {
                Left = li;
                Origin = li.LastId;
            }
            else
            {
                leftIsGc = true;
                Origin = new Id(left.Id.Client, left.Id.Clock + left.Length - 1);
            }
        }

        if (RightOrigin is { } rightOrigin)
        {
            var right = store.GetItemCleanStart(transaction, rightOrigin);
            if (right is Item ri)
            {
                Right = ri;
                RightOrigin = ri.Id;
            }
            else
            {
                rightIsGc = true;
                RightOrigin = right.Id;
            }
        }

        if (leftIsGc || rightIsGc)
        {
            Parent = null;
        }
        else if (Parent is null)
        {
            if (Left is not null)
            {
                Parent = Left.Parent;
                ParentSub = Left.ParentSub;
            }
            else if (Right is not null)
            {
                Parent = Right.Parent;
                ParentSub = Right.ParentSub;
            }
        }
        else if (Parent is Id parentId)
        {
            var parentItem = store.Find(parentId);
            Parent = parentItem is Item { Content: ContentType ct } ? ct.Type : null;
        }

        return null;
    }

    /// <summary>Links the item into its parent (YATA conflict resolution) and the struct store.</summary>
    internal void Integrate(Transaction transaction, long offset)
    {
        var store = transaction.Doc.Store;
        if (offset > 0)
        {
            Id = new Id(Id.Client, Id.Clock + offset);
            var left = store.GetItemCleanEnd(transaction, new Id(Id.Client, Id.Clock - 1));
            Left = left as Item;
            Origin = left is Item li ? li.LastId : new Id(left.Id.Client, left.Id.Clock + left.Length - 1);
            Content = Content.Splice(offset);
            Length -= offset;
            if (left is not Item)
            {
                Parent = null;
            }
        }

        if (Parent is AbstractType parent)
        {
            if ((Left is null && (Right is null || Right.Left is not null)) || (Left is not null && Left.Right != Right))
            {
                var left = Left;
                Item? o;
                if (left is not null)
                {
                    o = left.Right;
                }
                else if (ParentSub is not null)
                {
                    o = parent.Map.GetValueOrDefault(ParentSub);
                    while (o is not null && o.Left is not null)
                    {
                        o = o.Left;
                    }
                }
                else
                {
                    o = parent.Start;
                }

                var conflictingItems = new HashSet<Item>(ReferenceEqualityComparer.Instance);
                var itemsBeforeOrigin = new HashSet<Item>(ReferenceEqualityComparer.Instance);
                while (o is not null && o != Right)
                {
                    itemsBeforeOrigin.Add(o);
                    conflictingItems.Add(o);
                    if (Origin == o.Origin)
                    {
                        // case 1: same origin, order by client id
                        if (o.Id.Client < Id.Client)
                        {
                            left = o;
                            conflictingItems.Clear();
                        }
                        else if (RightOrigin == o.RightOrigin)
                        {
                            // this and o are conflicting and point to the same integration points
                            break;
                        }
                    }
                    else if (o.Origin is { } oo && store.Find(oo) is Item oOrigin && itemsBeforeOrigin.Contains(oOrigin))
                    {
                        // case 2: o's origin lies within the conflicting range
                        if (!conflictingItems.Contains(oOrigin))
                        {
                            left = o;
                            conflictingItems.Clear();
                        }
                    }
                    else
                    {
                        break;
                    }

                    o = o.Right;
                }

                Left = left;
            }

            if (Left is not null)
            {
                Right = Left.Right;
                Left.Right = this;
            }
            else
            {
                Item? r;
                if (ParentSub is not null)
                {
                    r = parent.Map.GetValueOrDefault(ParentSub);
                    while (r is not null && r.Left is not null)
                    {
                        r = r.Left;
                    }
                }
                else
                {
                    r = parent.Start;
                    parent.Start = this;
                }

                Right = r;
            }

            if (Right is not null)
            {
                Right.Left = this;
            }
            else if (ParentSub is not null)
            {
                // the item is the newest value of its key
                parent.Map[ParentSub] = this;
                Left?.Delete(transaction);
            }

            if (ParentSub is null && Countable && !Deleted)
            {
                parent.LengthValue += Length;
            }

            store.AddStruct(this);
            Content.Integrate(transaction, this);
            transaction.AddChangedType(parent, ParentSub);
            if ((parent.Item is not null && parent.Item.Deleted) || (ParentSub is not null && Right is not null))
            {
                // the parent is deleted, or this is an overwritten map value
                Delete(transaction);
            }
        }
        else
        {
            new Gc(Id, Length).Integrate(transaction, 0);
        }
    }

    internal void Delete(Transaction transaction)
    {
        if (Deleted)
        {
            return;
        }

        MarkDeletedIn(transaction);
        Content.Delete(transaction);
    }

    /// <summary>
    /// Deletes this item but not its content: the parent's length, the deleted flag, the transaction's delete set
    /// and changed types. <see cref="ContentType"/> deletes a nested type's items with it, without recursion.
    /// </summary>
    internal void MarkDeletedIn(Transaction transaction)
    {
        var parent = ParentType;
        if (Countable && ParentSub is null)
        {
            parent.LengthValue -= Length;
        }

        MarkDeleted();
        transaction.DeleteSet.Add(Id.Client, Id.Clock, Length);
        transaction.AddChangedType(parent, ParentSub);
    }

    internal void Gc(StructStore store, bool parentGcd)
    {
        Content.Gc(store);
        if (parentGcd)
        {
            store.ReplaceStruct(this, new Gc(Id, Length));
        }
        else
        {
            Content = new ContentDeleted(Length);
        }
    }

    /// <summary>Splits <paramref name="leftItem"/> at <paramref name="diff"/>; returns the right part, linked in after it.</summary>
    internal static Item Split(Transaction transaction, Item leftItem, long diff)
    {
        var id = leftItem.Id;
        var rightItem = new Item(
            new Id(id.Client, id.Clock + diff),
            leftItem,
            new Id(id.Client, id.Clock + diff - 1),
            leftItem.Right,
            leftItem.RightOrigin,
            leftItem.Parent,
            leftItem.ParentSub,
            leftItem.Content.Splice(diff));
        if (leftItem.Deleted)
        {
            rightItem.MarkDeleted();
        }

        if (leftItem.Keep)
        {
            rightItem.Keep = true;
        }

        leftItem.Right = rightItem;
        if (rightItem.Right is not null)
        {
            rightItem.Right.Left = rightItem;
        }

        transaction.MergeStructs.Add(rightItem);
        if (rightItem.ParentSub is not null && rightItem.Right is null)
        {
            rightItem.ParentType.Map[rightItem.ParentSub] = rightItem;
        }

        leftItem.Length = diff;
        return rightItem;
    }
}
