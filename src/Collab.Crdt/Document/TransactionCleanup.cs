namespace Collab.Crdt;

/// <summary>What happens when a transaction ends (yjs <c>cleanupTransactions</c>): observers, GC, merging, update events.</summary>
internal static class TransactionCleanup
{
    public static void Run(Transaction transaction)
    {
        var doc = transaction.Doc;
        var store = doc.Store;
        try
        {
            transaction.DeletesOrNull?.SortAndMerge();
            transaction.AfterStateMap = store.RefreshStateVector();
            CallObservers(transaction);
            doc.RaiseAfterTransaction(transaction);
            if (transaction.NeedFormattingCleanup)
            {
                YText.CleanupAfterTransaction(transaction);
            }
        }
        finally
        {
            // read again: observers and the formatting cleanup may have deleted more
            var ds = transaction.DeletesOrNull ?? DeleteSet.Empty;
            if (doc.Gc)
            {
                TryGcDeleteSet(ds, store, doc.GcFilter);
            }

            TryMergeDeleteSet(ds, store);

            // merge the structs this transaction added
            foreach (var (client, clock) in transaction.AfterStateMap)
            {
                long beforeClock = transaction.BeforeStateMap.Get(client);
                if (beforeClock != clock)
                {
                    var structs = store.Clients[client];
                    int firstChangePos = Math.Max(StructStore.FindIndex(structs, beforeClock), 1);
                    for (int i = structs.Count - 1; i >= firstChangePos;)
                    {
                        i -= 1 + TryToMergeWithLefts(structs, i);
                    }
                }
            }

            // and the ones that splitting left behind
            var mergeStructs = transaction.HasMergeStructs ? transaction.MergeStructs : [];
            for (int i = mergeStructs.Count - 1; i >= 0; i--)
            {
                var id = mergeStructs[i].Id;
                var structs = store.Clients[id.Client];
                int replacedStructPos = StructStore.FindIndex(structs, id.Clock);
                if (replacedStructPos + 1 < structs.Count && TryToMergeWithLefts(structs, replacedStructPos + 1) > 1)
                {
                    continue;
                }

                if (replacedStructPos > 0)
                {
                    TryToMergeWithLefts(structs, replacedStructPos);
                }
            }

            if (!transaction.Local
                && transaction.AfterStateMap.Get(doc.ClientId) != transaction.BeforeStateMap.Get(doc.ClientId))
            {
                // another peer uses our client id: take a new one, as yjs does
                doc.ClientId = Doc.GenerateClientId();
            }

            if (doc.HasUpdateListeners)
            {
                doc.RaiseUpdates(transaction);
            }

            if (transaction.HasSubdocChanges)
            {
                foreach (var sub in transaction.SubdocsAdded)
                {
                    sub.ClientId = doc.ClientId;
                    doc.Subdocs.Add(sub);
                }

                foreach (var sub in transaction.SubdocsRemoved)
                {
                    doc.Subdocs.Remove(sub);
                }

                doc.RaiseSubdocs(transaction);
            }
        }
    }

    private static void CallObservers(Transaction transaction)
    {
        if (!transaction.HasChangedTypes)
        {
            return;
        }

        transaction.CallChangedObservers();

        if (!transaction.HasChangedParentTypes)
        {
            return;
        }

        foreach (var (type, events) in transaction.ChangedParentTypes)
        {
            if (type.HasDeepObservers && (type.Item is null || !type.Item.Deleted))
            {
                var live = events.Where(e => e.Target.Item is null || !e.Target.Item.Deleted).ToList();
                foreach (var e in live)
                {
                    e.CurrentTarget = type;
                }

                live.Sort((a, b) => a.Path.Count.CompareTo(b.Path.Count));
                type.CallDeepObservers(live, transaction);
            }
        }
    }

    /// <summary>Merges structs[pos] into its left neighbours where possible; returns how many were merged away.</summary>
    internal static int TryToMergeWithLefts(StructList structs, int pos)
    {
        int i = pos;
        for (; i > 0; i--)
        {
            // after a merge, structs[i] is the merged struct: it becomes the right one
            var right = structs[i];
            var left = structs[i - 1];
            if (left.Deleted == right.Deleted && left.GetType() == right.GetType() && left.MergeWith(right))
            {
                if (right is Item { ParentSub: { } sub } ri && ri.Parent is AbstractType p && p.Map.TryGetValue(sub, out var current) && current == ri)
                {
                    p.Map[sub] = (Item)left;
                }

                continue;
            }

            break;
        }

        int merged = pos - i;
        if (merged > 0)
        {
            structs.RemoveRange(pos + 1 - merged, merged);
        }

        return merged;
    }

    private static void TryGcDeleteSet(DeleteSet ds, StructStore store, Func<Item, bool>? gcFilter)
    {
        if (ds.IsEmpty)
        {
            return;
        }

        foreach (var (client, deleteItems) in ds.Clients)
        {
            var structs = store.Clients[client];
            for (int di = deleteItems.Count - 1; di >= 0; di--)
            {
                var deleteItem = deleteItems[di];
                long end = deleteItem.Clock + deleteItem.Len;
                for (int si = StructStore.FindIndex(structs, deleteItem.Clock); si < structs.Count && structs[si].Id.Clock < end; si++)
                {
                    if (structs[si] is Item { Deleted: true, Keep: false } item && (gcFilter is null || gcFilter(item)))
                    {
                        item.Gc(store, parentGcd: false);
                    }
                }
            }
        }
    }

    private static void TryMergeDeleteSet(DeleteSet ds, StructStore store)
    {
        if (ds.IsEmpty)
        {
            return;
        }

        foreach (var (client, deleteItems) in ds.Clients)
        {
            var structs = store.Clients[client];
            for (int di = deleteItems.Count - 1; di >= 0; di--)
            {
                var deleteItem = deleteItems[di];
                int mostRightIndexToCheck = Math.Min(structs.Count - 1, 1 + StructStore.FindIndex(structs, deleteItem.Clock + deleteItem.Len - 1));
                for (int si = mostRightIndexToCheck; si > 0 && structs[si].Id.Clock >= deleteItem.Clock;)
                {
                    si -= 1 + TryToMergeWithLefts(structs, si);
                }
            }
        }
    }
}
