namespace Collab.Crdt;

/// <summary>A shared list (yjs <c>Y.Array</c>).</summary>
public sealed class YArray : AbstractType
{
    private List<object?>? _prelim = [];

    public YArray()
    {
        SearchMarkers = [];
    }

    internal override TypeRef TypeRef => TypeRef.Array;

    public long Length => Doc is null ? _prelim!.Count : LengthValue;

    internal override void Integrate(Doc doc, Item? item)
    {
        base.Integrate(doc, item);
        var prelim = _prelim!;
        _prelim = null;
        if (prelim.Count > 0)
        {
            Insert(0, [.. prelim]);
        }
    }

    public void Insert(long index, params object?[] content)
    {
        if (Doc is null)
        {
            _prelim!.InsertRange((int)index, content);
            return;
        }

        Doc.Transact(t => ListInsertGenerics(t, index, content));
    }

    public void Push(params object?[] content)
    {
        if (Doc is null)
        {
            _prelim!.AddRange(content);
            return;
        }

        Doc.Transact(t => ListPushGenerics(t, content));
    }

    public void Unshift(params object?[] content) => Insert(0, content);

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

    public override object? ToJson()
    {
        var list = ToArray();
        for (int i = 0; i < list.Count; i++)
        {
            list[i] = ValueToJson(list[i]);
        }

        return list;
    }
}
