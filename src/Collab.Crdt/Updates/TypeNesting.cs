namespace Collab.Crdt;

/// <summary>
/// How deeply a set of decoded items nests shared types: a type whose item names a root as its parent is at depth 1,
/// a type inside it at 2. An item's parent is its explicit parent or, when the wire leaves it out, the parent of its
/// origin (or right origin). A link to an item outside the set is resolved by <c>outside</c> (a document that holds
/// it); one that cannot be resolved counts from 0 (the chain under it starts at depth 1).
/// </summary>
internal static class TypeNestingCalc
{
    /// <summary>The depth of the type holding the item with <c>id</c> (<c>parentLink</c>: of the type the item holds); null if unknown.</summary>
    public delegate int? OutsideDepth(Id id, bool parentLink);

    public static bool AnyType(IEnumerable<AbstractStruct> structs) => structs.Any(s => s is Item { Content: ContentType });

    public static int Of(IEnumerable<AbstractStruct> structs, OutsideDepth? outside = null)
    {
        // most updates hold no type (text, values): answered without allocating
        if (!AnyType(structs))
        {
            return 0;
        }

        var items = new List<Item>();
        foreach (var s in structs)
        {
            if (s is Item item)
            {
                items.Add(item);
            }
        }

        var byClient = new Dictionary<ulong, List<int>>();
        for (int i = 0; i < items.Count; i++)
        {
            var id = items[i].Id;
            if (!byClient.TryGetValue(id.Client, out var list))
            {
                byClient[id.Client] = list = [];
            }

            list.Add(i);
        }

        foreach (var list in byClient.Values)
        {
            list.Sort((a, b) => items[a].Id.Clock.CompareTo(items[b].Id.Clock));
        }

        // depth of the type holding each item: -1 not known yet, -2 on the path being resolved (a cycle ends there)
        var parentDepth = new int[items.Count];
        Array.Fill(parentDepth, -1);
        var path = new List<(int Item, int Step)>();
        int deepest = 0;
        for (int start = 0; start < items.Count; start++)
        {
            if (items[start].Content is not ContentType)
            {
                continue;
            }

            // follow the links until an item whose parent's depth is known, or one that leads out of the set
            int current = start;
            int depth;
            path.Clear();
            while (true)
            {
                if (parentDepth[current] >= 0)
                {
                    depth = parentDepth[current];
                    break;
                }

                if (parentDepth[current] == -2)
                {
                    depth = 0; // a cycle: the items can never be integrated, count them from here
                    break;
                }

                var (next, step, known) = Link(items[current]);
                if (next < 0)
                {
                    depth = known;
                    parentDepth[current] = known;
                    break;
                }

                parentDepth[current] = -2;
                path.Add((current, step));
                current = next;
            }

            // unwind: an item whose parent is the type of the next item is one level deeper than that item's parent
            for (int i = path.Count - 1; i >= 0; i--)
            {
                depth += path[i].Step;
                parentDepth[path[i].Item] = depth;
            }

            deepest = Math.Max(deepest, parentDepth[start] + 1);
        }

        return deepest;

        // the item deciding this item's parent and how many levels below that item's parent the parent lies, or
        // (-1, 0, depth of the parent) when the link leads out of the set
        (int Next, int Step, int Known) Link(Item item)
        {
            switch (item.Parent)
            {
                case Id parent:
                    if (Find(parent) is int p)
                    {
                        return items[p].Content is ContentType ? (p, 1, 0) : (-1, 0, 0);
                    }

                    return (-1, 0, outside?.Invoke(parent, parentLink: true) ?? 0);
                case string:
                    return (-1, 0, 0);
            }

            foreach (var origin in (ReadOnlySpan<Id?>)[item.Origin, item.RightOrigin])
            {
                if (origin is { } o)
                {
                    return Find(o) is int n ? (n, 0, 0) : (-1, 0, outside?.Invoke(o, parentLink: false) ?? 0);
                }
            }

            return (-1, 0, 0);
        }

        int? Find(Id id)
        {
            if (!byClient.TryGetValue(id.Client, out var list))
            {
                return null;
            }

            int lo = 0;
            int hi = list.Count - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                var item = items[list[mid]];
                if (id.Clock < item.Id.Clock)
                {
                    hi = mid - 1;
                }
                else if (id.Clock >= item.Id.Clock + item.Length)
                {
                    lo = mid + 1;
                }
                else
                {
                    return list[mid];
                }
            }

            return null;
        }
    }
}
