namespace Collab.Crdt;

/// <summary>
/// A change to a <see cref="YText"/> (yjs <c>YTextEvent</c>): the delta carries formatting. Like yjs, computing
/// it removes formatting marks that have become redundant, in a transaction of its own.
/// </summary>
public sealed class YTextEvent : YEvent
{
    private List<YDeltaOp>? _delta;

    internal YTextEvent(YText target, Transaction transaction, HashSet<string?> keysChanged)
        : base(target, transaction, keysChanged)
    {
    }

    public override IReadOnlyList<YDeltaOp> Delta => _delta ??= ComputeDelta();

    private List<YDeltaOp> ComputeDelta()
    {
        var delta = new List<YDeltaOp>();
        var doc = Target.DocOrThrow;
        doc.Transact(transaction =>
        {
            var currentAttributes = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            var oldAttributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            var attributes = new JsObject(); // added or removed attributes, for retain
            string? action = null;
            var insert = new System.Text.StringBuilder();
            object? insertEmbed = null;
            long retain = 0;
            long deleteLen = 0;

            JsObject RetainAttributes()
            {
                var copy = new JsObject();
                foreach (var (k, v) in attributes)
                {
                    copy.Set(k, v);
                }

                return copy;
            }

            void AddOp()
            {
                if (action is null)
                {
                    return;
                }

                YDeltaOp? op = null;
                switch (action)
                {
                    case "delete":
                        if (deleteLen > 0)
                        {
                            op = new YDeltaOp(Delete: deleteLen);
                        }

                        deleteLen = 0;
                        break;
                    case "insert":
                        if (insertEmbed is not null || insert.Length > 0)
                        {
                            JsObject? attrs = null;
                            if (currentAttributes.Count > 0)
                            {
                                attrs = new JsObject();
                                foreach (var (key, value) in currentAttributes)
                                {
                                    if (value is not null)
                                    {
                                        attrs.Set(key, value);
                                    }
                                }
                            }

                            op = new YDeltaOp(Insert: [insertEmbed ?? insert.ToString()], Attributes: attrs);
                        }

                        insert.Clear();
                        insertEmbed = null;
                        break;
                    case "retain":
                        if (retain > 0)
                        {
                            var attrs = RetainAttributes();
                            op = new YDeltaOp(Retain: retain, Attributes: attrs.Count > 0 ? attrs : null);
                        }

                        retain = 0;
                        break;
                }

                if (op is not null)
                {
                    delta.Add(op);
                }

                action = null;
            }

            void SetAttr(string key, object? value) => attributes.Set(key, value);

            bool HasAttr(string key, out object? value) => attributes.TryGetValue(key, out value);

            for (var item = Target.Start; item is not null; item = item.Right)
            {
                switch (item.Content)
                {
                    case ContentType or ContentEmbed:
                        if (Adds(item))
                        {
                            if (!Deletes(item))
                            {
                                AddOp();
                                action = "insert";
                                insertEmbed = item.Content.GetContent()[0];
                                AddOp();
                            }
                        }
                        else if (Deletes(item))
                        {
                            if (action != "delete")
                            {
                                AddOp();
                                action = "delete";
                            }

                            deleteLen += 1;
                        }
                        else if (!item.Deleted)
                        {
                            if (action != "retain")
                            {
                                AddOp();
                                action = "retain";
                            }

                            retain += 1;
                        }

                        break;
                    case ContentString cs:
                        if (Adds(item))
                        {
                            if (!Deletes(item))
                            {
                                if (action != "insert")
                                {
                                    AddOp();
                                    action = "insert";
                                }

                                cs.AppendTo(insert);
                            }
                        }
                        else if (Deletes(item))
                        {
                            if (action != "delete")
                            {
                                AddOp();
                                action = "delete";
                            }

                            deleteLen += item.Length;
                        }
                        else if (!item.Deleted)
                        {
                            if (action != "retain")
                            {
                                AddOp();
                                action = "retain";
                            }

                            retain += item.Length;
                        }

                        break;
                    case ContentFormat cf:
                    {
                        string key = cf.Key;
                        object? value = cf.Value;
                        if (Adds(item))
                        {
                            if (!Deletes(item))
                            {
                                object? curVal = currentAttributes.GetValueOrDefault(key);
                                if (!YText.EqualAttrs(curVal, value))
                                {
                                    if (action == "retain")
                                    {
                                        AddOp();
                                    }

                                    if (YText.EqualAttrs(value, oldAttributes.GetValueOrDefault(key)))
                                    {
                                        attributes.Remove(key);
                                    }
                                    else
                                    {
                                        SetAttr(key, value);
                                    }
                                }
                                else if (value is not null)
                                {
                                    item.Delete(transaction);
                                }
                            }
                        }
                        else if (Deletes(item))
                        {
                            oldAttributes[key] = value;
                            object? curVal = currentAttributes.GetValueOrDefault(key);
                            if (!YText.EqualAttrs(curVal, value))
                            {
                                if (action == "retain")
                                {
                                    AddOp();
                                }

                                SetAttr(key, curVal);
                            }
                        }
                        else if (!item.Deleted)
                        {
                            oldAttributes[key] = value;
                            if (HasAttr(key, out var attr))
                            {
                                if (!YText.EqualAttrs(attr, value))
                                {
                                    if (action == "retain")
                                    {
                                        AddOp();
                                    }

                                    if (value is null)
                                    {
                                        attributes.Remove(key);
                                    }
                                    else
                                    {
                                        SetAttr(key, value);
                                    }
                                }
                                else if (attr is not null)
                                {
                                    // cleaned up by the contextless cleanup, as in yjs
                                    item.Delete(transaction);
                                }
                            }
                        }

                        if (!item.Deleted)
                        {
                            if (action == "insert")
                            {
                                AddOp();
                            }

                            if (value is null)
                            {
                                currentAttributes.Remove(key);
                            }
                            else
                            {
                                currentAttributes[key] = value;
                            }
                        }

                        break;
                    }
                }
            }

            AddOp();
            while (delta.Count > 0 && delta[^1].Retain is not null && delta[^1].Attributes is null)
            {
                delta.RemoveAt(delta.Count - 1);
            }
        });
        return delta;
    }
}
