using System.Text;

namespace Collab.Crdt;

/// <summary>Text inside an XML tree (yjs <c>Y.XmlText</c>); formatting attributes render as nested tags.</summary>
public sealed class YXmlText : YText
{
    internal override TypeRef TypeRef => TypeRef.XmlText;

    public override string ToString()
    {
        if (Doc is null)
        {
            return base.ToString();
        }

        NestingGuard.EnsureStack();
        var sb = new StringBuilder();
        foreach (var op in ToDelta())
        {
            var nested = new List<(string Name, List<(string Key, object? Value)> Attrs)>();
            if (op.Attributes is not null)
            {
                foreach (var (nodeName, value) in op.Attributes)
                {
                    // for...in over the value: object keys, array indices, or a string's characters
                    var attrs = new List<(string, object?)>();
                    if (value is string str)
                    {
                        for (int i = 0; i < str.Length; i++)
                        {
                            attrs.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), str[i].ToString()));
                        }
                    }
                    else if (OwnProperties(value) is { } props)
                    {
                        foreach (var (k, v) in props)
                        {
                            attrs.Add((k, v));
                        }
                    }

                    attrs.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1) < 0 ? -1 : 1);
                    nested.Add((nodeName, attrs));
                }
            }

            nested.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name) < 0 ? -1 : 1);
            foreach (var (name, attrs) in nested)
            {
                sb.Append('<').Append(name);
                foreach (var (k, v) in attrs)
                {
                    sb.Append(' ').Append(k).Append("=\"").Append(JsString.Of(v)).Append('"');
                }

                sb.Append('>');
            }

            sb.Append(JsString.Of(op.Insert![0]));
            for (int i = nested.Count - 1; i >= 0; i--)
            {
                sb.Append("</").Append(nested[i].Name).Append('>');
            }
        }

        return sb.ToString();
    }

    public override object? ToJson() => ToString();
}
