using System.Text;

namespace Collab.Crdt;

/// <summary>A list of XML nodes (yjs <c>Y.XmlFragment</c>): elements, text and hooks.</summary>
public class YXmlFragment : AbstractType
{
    private List<object?>? _prelim = [];

    internal override TypeRef TypeRef => TypeRef.XmlFragment;

    public long Length => Doc is null ? _prelim!.Count : LengthValue;

    internal override void Integrate(Doc doc, Item? item)
    {
        base.Integrate(doc, item);
        var prelim = _prelim!;
        _prelim = null;
        if (prelim.Count > 0)
        {
            doc.Transact(t => ListInsertGenerics(t, 0, prelim));
        }
    }

    public void Insert(long index, params AbstractType[] nodes)
    {
        if (Doc is null)
        {
            _prelim!.InsertRange((int)index, nodes);
            return;
        }

        Doc.Transact(t => ListInsertGenerics(t, index, nodes));
    }

    public void Push(params AbstractType[] nodes)
    {
        if (Doc is null)
        {
            _prelim!.AddRange(nodes);
            return;
        }

        Doc.Transact(t => ListPushGenerics(t, nodes));
    }

    public void Delete(long index, long length = 1)
    {
        if (Doc is null)
        {
            _prelim!.RemoveRange((int)index, (int)length);
            return;
        }

        Doc.Transact(t => ListDelete(t, index, length));
    }

    public object? Get(long index) => Doc is null ? _prelim![(int)index] : ListGet(index);

    public List<object?> ToArray() => Doc is null ? [.. _prelim!] : ListToArray();

    /// <summary>The children as XML, concatenated (yjs <c>toString</c>).</summary>
    public override string ToString()
    {
        NestingGuard.EnsureStack();
        var sb = new StringBuilder();
        foreach (var child in ToArray())
        {
            sb.Append(child is YXmlHook ? "[object Object]" : child?.ToString());
        }

        return sb.ToString();
    }

    public override object? ToJson() => ToString();
}
