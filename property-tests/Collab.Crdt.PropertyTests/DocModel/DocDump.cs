using System.Text;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// The structural dump of doc-oracle.mjs (<c>dump</c>), written from Collab's document: it keeps every distinction
/// that toJSON loses (number kinds, undefined, BigInt, bytes, subdocuments, type kinds, text deltas with attributes
/// and embeds, XML attributes), so two dumps are equal exactly when the documents read the same.
/// </summary>
internal static class DocDump
{
    /// <summary><c>JSON.stringify(root.toJSON())</c>, or "throws" where JavaScript throws (BigInt, subdocuments).</summary>
    public static string RootJson(AbstractType root)
    {
        try
        {
            return JsJson.Stringify(root.ToJson()) ?? "undefined";
        }
        catch (YjsFormatException)
        {
            return "throws";
        }
    }

    public static string Dump(object? v)
    {
        var sb = new StringBuilder();
        Write(sb, v);
        return sb.ToString();
    }

    private static void Str(StringBuilder sb, string s) => JsJson.WriteString(sb, s);

    private static void Entries(StringBuilder sb, AbstractType type)
    {
        sb.Append('{');
        bool first = true;
        foreach (var key in type.Map.Keys.Order(StringComparer.Ordinal))
        {
            var item = type.Map[key];
            if (item.Deleted)
            {
                continue;
            }

            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            Str(sb, key);
            sb.Append(':');
            var content = item.Content.GetContent();
            Write(sb, content[content.Count - 1]);
        }

        sb.Append('}');
    }

    private static void Delta(StringBuilder sb, YText text)
    {
        sb.Append('[');
        bool first = true;
        foreach (var op in text.ToDelta())
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append('{');
            Write(sb, op.Insert![0]);
            if (op.Attributes is not null)
            {
                sb.Append(' ');
                Write(sb, op.Attributes);
            }

            sb.Append('}');
        }

        sb.Append(']');
    }

    private static void List(StringBuilder sb, IEnumerable<object?> items)
    {
        sb.Append('[');
        bool first = true;
        foreach (var x in items)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            Write(sb, x);
        }

        sb.Append(']');
    }

    private static void Write(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null:
                sb.Append("null");
                break;
            case Undefined:
                sb.Append("undefined");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                sb.Append("n(").Append(d == 0 && double.IsNegative(d) ? "-0" : JsNumber.ToString(d)).Append(')');
                break;
            case long l:
                sb.Append("big(").Append(l.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(')');
                break;
            case string s:
                Str(sb, s);
                break;
            case byte[] bytes:
                sb.Append("bin(").Append(System.Convert.ToHexString(bytes).ToLowerInvariant()).Append(')');
                break;
            case Doc doc:
                sb.Append("doc(");
                Str(sb, doc.Guid);
                sb.Append(')');
                break;
            case YXmlHook hook:
                sb.Append("hook(");
                Str(sb, hook.HookName);
                sb.Append(')');
                Entries(sb, hook);
                break;
            case YMap map:
                sb.Append("map");
                Entries(sb, map);
                break;
            case YArray array:
                sb.Append("array");
                List(sb, array.ToArray());
                break;
            case YXmlText xmlText:
                sb.Append("xmltext");
                Entries(sb, xmlText);
                Delta(sb, xmlText);
                break;
            case YText text:
                sb.Append("text");
                Entries(sb, text);
                Delta(sb, text);
                break;
            case YXmlElement element:
                sb.Append("elem(");
                Str(sb, element.NodeName);
                sb.Append(')');
                Entries(sb, element);
                List(sb, element.ToArray());
                break;
            case YXmlFragment fragment:
                sb.Append("frag");
                List(sb, fragment.ToArray());
                break;
            case AbstractType:
                sb.Append("type?");
                break;
            case List<object?> list:
                List(sb, list);
                break;
            case JsObject obj:
            {
                sb.Append('{');
                bool first = true;
                foreach (var (k, x) in obj)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    Str(sb, k);
                    sb.Append(':');
                    Write(sb, x);
                }

                sb.Append('}');
                break;
            }

            default:
                sb.Append("clr(").Append(v.GetType().Name).Append(')');
                break;
        }
    }
}
