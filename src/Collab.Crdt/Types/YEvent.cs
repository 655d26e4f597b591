namespace Collab.Crdt;

/// <summary>How a map key changed in a transaction.</summary>
public sealed record YKeyChange(string Action, object? OldValue);

/// <summary>One operation of a list delta: insert values, delete a count, or retain a count.</summary>
public sealed record YDeltaOp(IReadOnlyList<object?>? Insert = null, long? Delete = null, long? Retain = null, JsObject? Attributes = null);

/// <summary>What changed in one type during one transaction (yjs <c>YEvent</c>).</summary>
public class YEvent
{
    private IReadOnlyList<YDeltaOp>? _delta;
    private IReadOnlyDictionary<string, YKeyChange>? _keys;

    internal YEvent(AbstractType target, Transaction transaction, HashSet<string?> keysChanged)
    {
        Target = target;
        CurrentTarget = target;
        Transaction = transaction;
        KeysChanged = keysChanged;
    }

    public AbstractType Target { get; }

    /// <summary>The type whose deep observer receives the event.</summary>
    public AbstractType CurrentTarget { get; internal set; }

    public Transaction Transaction { get; }

    /// <summary>Changed map keys; contains null when the list content changed.</summary>
    public IReadOnlySet<string?> KeysChanged { get; }

    /// <summary>The path from <see cref="CurrentTarget"/> to <see cref="Target"/>: map keys and list indices.</summary>
    public IReadOnlyList<object> Path
    {
        get
        {
            var path = new List<object>();
            var child = Target;
            while (child != CurrentTarget && child.Item is { } item && item.Parent is AbstractType parent)
            {
                if (item.ParentSub is not null)
                {
                    path.Insert(0, item.ParentSub);
                }
                else
                {
                    long i = 0;
                    for (var c = parent.Start; c is not null && c != item; c = c.Right)
                    {
                        if (!c.Deleted && c.Countable)
                        {
                            i += c.Length;
                        }
                    }

                    path.Insert(0, i);
                }

                child = parent;
            }

            return path;
        }
    }

    /// <summary>Whether the struct was added in this transaction.</summary>
    public bool Adds(AbstractStruct s) => s.Id.Clock >= Transaction.BeforeStateMap.Get(s.Id.Client);

    /// <summary>Whether the struct was deleted in this transaction.</summary>
    public bool Deletes(AbstractStruct s) => Transaction.DeleteSet.IsDeleted(s.Id);

    /// <summary>The list change as a delta of insert/delete/retain operations.</summary>
    public virtual IReadOnlyList<YDeltaOp> Delta => _delta ??= ComputeDelta();

    /// <summary>Changed keys: action <c>add</c>, <c>update</c> or <c>delete</c>, with the previous value.</summary>
    public IReadOnlyDictionary<string, YKeyChange> Keys => _keys ??= ComputeKeys();

    private List<YDeltaOp> ComputeDelta()
    {
        var delta = new List<YDeltaOp>();
        if (!KeysChanged.Contains(null))
        {
            return delta;
        }

        List<object?>? insert = null;
        long retain = 0;
        long delete = 0;
        void Pack()
        {
            if (insert is not null)
            {
                delta.Add(new YDeltaOp(Insert: insert));
                insert = null;
            }
            else if (delete > 0)
            {
                delta.Add(new YDeltaOp(Delete: delete));
                delete = 0;
            }
            else if (retain > 0)
            {
                delta.Add(new YDeltaOp(Retain: retain));
                retain = 0;
            }
        }

        for (var item = Target.Start; item is not null; item = item.Right)
        {
            if (item.Deleted)
            {
                if (Deletes(item) && !Adds(item))
                {
                    if (delete == 0)
                    {
                        Pack();
                    }

                    delete += item.Length;
                }
            }
            else if (Adds(item))
            {
                if (insert is null)
                {
                    Pack();
                    insert = [];
                }

                insert.AddRange(item.Content.GetContent());
            }
            else
            {
                if (retain == 0)
                {
                    Pack();
                }

                retain += item.Length;
            }
        }

        if (retain == 0)
        {
            Pack();
        }

        return delta;
    }

    private Dictionary<string, YKeyChange> ComputeKeys()
    {
        var keys = new Dictionary<string, YKeyChange>(StringComparer.Ordinal);
        foreach (var key in KeysChanged)
        {
            if (key is null || !Target.Map.TryGetValue(key, out var item))
            {
                continue;
            }

            string action;
            object? oldValue = Undefined.Value;
            if (Adds(item))
            {
                var prev = item.Left;
                while (prev is not null && Adds(prev))
                {
                    prev = prev.Left;
                }

                if (Deletes(item))
                {
                    if (prev is not null && Deletes(prev))
                    {
                        action = "delete";
                        oldValue = Last(prev);
                    }
                    else
                    {
                        continue;
                    }
                }
                else if (prev is not null && Deletes(prev))
                {
                    action = "update";
                    oldValue = Last(prev);
                }
                else
                {
                    action = "add";
                }
            }
            else if (Deletes(item))
            {
                action = "delete";
                oldValue = Last(item);
            }
            else
            {
                continue;
            }

            keys[key] = new YKeyChange(action, oldValue);
        }

        return keys;
    }

    private static object? Last(Item item)
    {
        var c = item.Content.GetContent();
        return c.Count > 0 ? c[^1] : Undefined.Value;
    }
}
