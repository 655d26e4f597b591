namespace Collab.Crdt;

/// <summary>
/// Makes a live document's content equal to another document's content in one transaction of new
/// operations (history is never rewritten): the basis of restoring a snapshot while people edit.
/// </summary>
public static class DocRestore
{
    /// <summary>
    /// Edits <paramref name="live"/> so that every root type holds what it holds in <paramref name="source"/>;
    /// roots that <paramref name="source"/> lacks are emptied. Unchanged parts are left alone.
    /// </summary>
    public static void MakeEqual(Doc live, Doc source, object? origin = null)
    {
        live.Transact(_ =>
        {
            var names = new List<string>(source.Share.Keys);
            foreach (var name in live.Share.Keys)
            {
                if (!source.Share.ContainsKey(name))
                {
                    names.Add(name);
                }
            }

            foreach (var name in names)
            {
                var src = source.Share.TryGetValue(name, out var s) ? s : null;
                var liveExisting = live.Share.TryGetValue(name, out var l) ? l : null;
                // a concrete live type decides; otherwise what the content implies
                TypeRef? kind = liveExisting is not null && liveExisting.GetType() != typeof(AbstractType) ? TypeKinds.Infer(liveExisting) : null;
                kind ??= src is not null ? TypeKinds.Infer(src) : null;
                kind ??= liveExisting is not null ? TypeKinds.Infer(liveExisting) : null;
                switch (kind)
                {
                    case TypeRef.Text:
                        RestoreText(live.Get<YText>(name), src is null ? null : source.Get<YText>(name));
                        break;
                    case TypeRef.Map:
                        RestoreMap(live.Get<YMap>(name), src is null ? null : source.Get<YMap>(name));
                        break;
                    case TypeRef.XmlFragment:
                        RestoreList(live.Get<YXmlFragment>(name), src is null ? null : source.Get<YXmlFragment>(name));
                        break;
                    case TypeRef.Array:
                        RestoreList(live.Get<YArray>(name), src is null ? null : source.Get<YArray>(name));
                        break;
                }
            }
        }, origin);
    }

    private static void RestoreText(YText live, YText? source)
    {
        var target = source?.ToDelta() ?? [];
        if (DeltaEquals(live.ToDelta(), target))
        {
            return;
        }

        bool plain = !live.HasFormatting && (source is null || !source.HasFormatting)
            && target.All(op => op.Insert is [string] && op.Attributes is null)
            && live.ToDelta().All(op => op.Insert is [string] && op.Attributes is null);
        if (plain)
        {
            // replace only the middle that differs
            string a = live.ToString();
            string b = source?.ToString() ?? string.Empty;
            int prefix = 0;
            while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
            {
                prefix++;
            }

            int suffix = 0;
            while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
            {
                suffix++;
            }

            live.Delete(prefix, a.Length - prefix - suffix);
            live.Insert(prefix, b.Substring(prefix, b.Length - prefix - suffix), new JsObject());
            return;
        }

        live.Delete(0, live.Length);
        long index = 0;
        foreach (var op in target)
        {
            var attrs = op.Attributes ?? new JsObject();
            if (op.Insert is [string s])
            {
                live.Insert(index, s, attrs);
                index += s.Length;
            }
            else if (op.Insert is [var embed] && embed is not null)
            {
                live.InsertEmbed(index, embed is AbstractType t ? DeepCopy(t) : embed, attrs);
                index++;
            }
        }
    }

    private static void RestoreMap(YMap live, YMap? source)
    {
        var wanted = source?.Entries().ToList() ?? [];
        var wantedKeys = new HashSet<string>(wanted.Select(e => e.Key), StringComparer.Ordinal);
        foreach (var key in live.Keys.ToList())
        {
            if (!wantedKeys.Contains(key))
            {
                live.Delete(key);
            }
        }

        foreach (var (key, value) in wanted)
        {
            var current = live.Get(key);
            if (live.Has(key) && SameValue(current, value))
            {
                continue;
            }

            live.Set(key, value is AbstractType t ? DeepCopy(t) : value);
        }
    }

    private static void RestoreList(AbstractType live, AbstractType? source)
    {
        var want = source?.ListToArray() ?? [];
        var have = live.ListToArray();
        if (want.Count == have.Count && want.Zip(have).All(p => SameValue(p.Second, p.First)))
        {
            return;
        }

        var copies = want.Select(v => v is AbstractType t ? DeepCopy(t) : v).ToList();
        live.DocOrThrow.Transact(t =>
        {
            live.ListDelete(t, 0, live.LengthValue);
            live.ListInsertGenerics(t, 0, copies);
        });
    }

    private static bool SameValue(object? a, object? b)
    {
        NestingGuard.EnsureStack();
        if (a is AbstractType ta && b is AbstractType tb)
        {
            return ta.GetType() == tb.GetType()
                && (ta is not YXmlElement ea || ea.NodeName == ((YXmlElement)tb).NodeName)
                && JsJson.Stringify(ta.ToJson()) == JsJson.Stringify(tb.ToJson())
                && (ta is not YText xa || DeltaEquals(xa.ToDelta(), ((YText)tb).ToDelta()));
        }

        if (a is AbstractType || b is AbstractType)
        {
            return false;
        }

        if (a is byte[] ba && b is byte[] bb)
        {
            return ba.AsSpan().SequenceEqual(bb);
        }

        try
        {
            return JsJson.Stringify(a) == JsJson.Stringify(b) && a?.GetType() == b?.GetType();
        }
        catch (YjsFormatException)
        {
            return Equals(a, b);
        }
    }

    private static bool DeltaEquals(List<YDeltaOp> a, List<YDeltaOp> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!SameValue(a[i].Insert?[0], b[i].Insert?[0]) || JsJson.Stringify(a[i].Attributes) != JsJson.Stringify(b[i].Attributes))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new, unintegrated type with the same content (nested types copied too).</summary>
    public static AbstractType DeepCopy(AbstractType type)
    {
        NestingGuard.EnsureStack();
        object? Copy(object? v) => v is AbstractType t ? DeepCopy(t) : v;
        switch (type)
        {
            case YXmlHook hook:
            {
                var c = new YXmlHook(hook.HookName);
                foreach (var (k, v) in hook.Entries())
                {
                    c.Set(k, Copy(v));
                }

                return c;
            }

            case YMap map:
            {
                var c = new YMap();
                foreach (var (k, v) in map.Entries())
                {
                    c.Set(k, Copy(v));
                }

                return c;
            }

            case YArray array:
            {
                var c = new YArray();
                c.Push([.. array.ToArray().Select(Copy)]);
                return c;
            }

            case YXmlElement el:
            {
                var c = new YXmlElement(el.NodeName);
                foreach (var (k, v) in el.GetAttributes())
                {
                    c.SetAttribute(k, Copy(v));
                }

                c.Push([.. el.ToArray().OfType<AbstractType>().Select(DeepCopy)]);
                return c;
            }

            case YXmlFragment frag:
            {
                var c = new YXmlFragment();
                c.Push([.. frag.ToArray().OfType<AbstractType>().Select(DeepCopy)]);
                return c;
            }

            case YText text:
            {
                var c = text is YXmlText ? new YXmlText() : new YText();
                long index = 0;
                foreach (var op in text.ToDelta())
                {
                    var attrs = op.Attributes ?? new JsObject();
                    if (op.Insert is [string s])
                    {
                        c.Insert(index, s, attrs);
                        index += s.Length;
                    }
                    else if (op.Insert is [var embed] && embed is not null)
                    {
                        c.InsertEmbed(index, Copy(embed)!, attrs);
                        index++;
                    }
                }

                return c;
            }

            default:
                throw new InvalidOperationException($"Cannot copy a {type.GetType().Name}.");
        }
    }
}

/// <summary>Infers the kind of a root type from its content, for documents read without a schema.</summary>
public static class TypeKinds
{
    /// <summary>The kind the content implies, or null for an empty type. A concrete type answers its own kind.</summary>
    public static TypeRef? Infer(AbstractType type)
    {
        if (type.GetType() != typeof(AbstractType))
        {
            return type is YXmlElement ? TypeRef.XmlFragment : type.TypeRef;
        }

        bool anyList = false;
        for (var n = type.Start; n is not null; n = n.Right)
        {
            anyList = true;
            switch (n.Content)
            {
                case ContentString or ContentFormat or ContentEmbed:
                    return TypeRef.Text;
                case ContentType { TypeRef: TypeRef.XmlElement or TypeRef.XmlText or TypeRef.XmlHook }:
                    return TypeRef.XmlFragment;
            }
        }

        if (anyList)
        {
            return TypeRef.Array;
        }

        return type.Map.Count > 0 ? TypeRef.Map : null;
    }
}
