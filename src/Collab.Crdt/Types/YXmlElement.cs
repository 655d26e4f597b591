using System.Text;

namespace Collab.Crdt;

/// <summary>An XML element with a node name, attributes and children (yjs <c>Y.XmlElement</c>).</summary>
public sealed class YXmlElement : YXmlFragment
{
    private Dictionary<string, object?>? _prelimAttrs = [];

    public YXmlElement(string nodeName = "UNDEFINED") => NodeName = nodeName;

    public string NodeName { get; }

    internal override TypeRef TypeRef => TypeRef.XmlElement;

    internal override string? NodeNameForWire => NodeName;

    internal override void Integrate(Doc doc, Item? item)
    {
        base.Integrate(doc, item);
        var attrs = _prelimAttrs!;
        _prelimAttrs = null;
        if (attrs.Count > 0)
        {
            doc.Transact(t =>
            {
                foreach (var (k, v) in attrs)
                {
                    MapSet(t, k, v);
                }
            });
        }
    }

    public void SetAttribute(string name, object? value)
    {
        if (Doc is null)
        {
            _prelimAttrs![name] = value;
            return;
        }

        Doc.Transact(t => MapSet(t, name, value));
    }

    public object? GetAttribute(string name) => Doc is null ? _prelimAttrs!.GetValueOrDefault(name, Undefined.Value) : MapGet(name);

    public void RemoveAttribute(string name)
    {
        if (Doc is null)
        {
            _prelimAttrs!.Remove(name);
            return;
        }

        Doc.Transact(t => MapDelete(t, name));
    }

    public JsObject GetAttributes()
    {
        var o = new JsObject();
        foreach (var (k, v) in Doc is null ? _prelimAttrs! : MapEntries())
        {
            o.Set(k, v);
        }

        return o;
    }

    public override string ToString()
    {
        var attrs = GetAttributes();
        var keys = attrs.Select(kv => kv.Key).ToList();
        keys.Sort(string.CompareOrdinal);
        var sb = new StringBuilder();
        string nodeName = NodeName.ToLowerInvariant();
        sb.Append('<').Append(nodeName);
        foreach (var key in keys)
        {
            sb.Append(' ').Append(key).Append("=\"").Append(JsString.Of(attrs[key])).Append('"');
        }

        sb.Append('>').Append(base.ToString()).Append("</").Append(nodeName).Append('>');
        return sb.ToString();
    }
}
