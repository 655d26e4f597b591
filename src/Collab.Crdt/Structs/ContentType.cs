using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>The kinds of shared type, as numbered on the wire (typeRef).</summary>
public enum TypeRef
{
    Array = 0,
    Map = 1,
    Text = 2,
    XmlElement = 3,
    XmlFragment = 4,
    XmlHook = 5,
    XmlText = 6,
}

/// <summary>A nested shared type (ref 7): typeRef, then the node name (XmlElement) or hook name (XmlHook) as a key.</summary>
public sealed class ContentType : Content
{
    internal const int RefNumber = 7;

    public ContentType(TypeRef typeRef, string? name)
    {
        TypeRef = typeRef;
        Name = name;
    }

    /// <summary>Content for a type created locally and inserted into a document.</summary>
    public ContentType(AbstractType type)
        : this(type.TypeRef, type.NodeNameForWire)
    {
        Type = type;
    }

    public TypeRef TypeRef { get; }

    /// <summary>Node name of an XmlElement, hook name of an XmlHook, otherwise null.</summary>
    public string? Name { get; }

    /// <summary>The live type, once the item is part of a document.</summary>
    public AbstractType? Type { get; private set; }

    public override int Ref => RefNumber;

    public override long Length => 1;

    public override bool IsCountable => true;

    public override IReadOnlyList<object?> GetContent() => [Type];

    internal override Content Copy() => new ContentType(AbstractType.Create(TypeRef, Name));

    internal override void Integrate(Transaction transaction, Item item)
    {
        Type ??= AbstractType.Create(TypeRef, Name);
        Type.Integrate(transaction.Doc, item);
    }

    // Deleting and collecting a type walk its nested types with an explicit stack: a document may nest types
    // deeper than the thread's stack would allow recursion (one update can nest tens of thousands of levels).

    /// <summary>
    /// Deletes every item of the type and, depth first, of the types nested in it, in the order a recursive walk
    /// would: a nested type's items (list, then map) before the next sibling, and a type leaves the transaction's
    /// changed types only after its own items were deleted.
    /// </summary>
    internal override void Delete(Transaction transaction)
    {
        if (Type!.Start is null && Type.Map.Count == 0)
        {
            transaction.RemoveChanged(Type); // an empty type (the common leaf): nothing to walk
            return;
        }

        var stack = new Stack<ChildWalk>();
        stack.Push(new ChildWalk(Type!));
        while (stack.TryPeek(out var walk))
        {
            if (!walk.Next(out var item))
            {
                stack.Pop();
                transaction.RemoveChanged(walk.Type);
                continue;
            }

            if (!item.Deleted)
            {
                item.MarkDeletedIn(transaction);
                if (item.Content is ContentType { Type: { } nested })
                {
                    stack.Push(new ChildWalk(nested));
                }
                else
                {
                    item.Content.Delete(transaction);
                }
            }
            else if (item.Id.Clock < transaction.BeforeStateMap.Get(item.Id.Client))
            {
                // this will be gc'd later and we want to merge it if possible
                transaction.MergeStructs.Add(item);
            }
        }
    }

    /// <summary>Replaces every item of the type and of the types nested in it with a <see cref="Crdt.Gc"/>.</summary>
    internal override void Gc(StructStore store)
    {
        if (Type!.Start is null && Type.Map.Count == 0)
        {
            return;
        }

        // all items first (list items, then every version of each map entry), nested types' items after their own
        var items = new List<Item>();
        var types = new List<AbstractType> { Type! };
        for (int t = 0; t < types.Count; t++)
        {
            var type = types[t];
            for (var item = type.Start; item is not null; item = item.Right)
            {
                Collect(item);
            }

            foreach (var last in type.Map.Values)
            {
                for (var item = last; item is not null; item = item.Left)
                {
                    Collect(item);
                }
            }
        }

        foreach (var item in items)
        {
            if (item.Content is not ContentType)
            {
                item.Content.Gc(store);
            }

            store.ReplaceStruct(item, new Gc(item.Id, item.Length));
        }

        foreach (var type in types)
        {
            type.Start = null;
            type.Map.Clear();
        }

        void Collect(Item item)
        {
            items.Add(item);
            if (item.Content is ContentType { Type: { } nested })
            {
                types.Add(nested);
            }
        }
    }

    /// <summary>One type's items, list first then map, as a stack frame of <see cref="Delete"/>.</summary>
    private sealed class ChildWalk(AbstractType type)
    {
        private Item? _nextInList = type.Start;
        private Dictionary<string, Item>.ValueCollection.Enumerator _map = type.Map.Values.GetEnumerator();

        public AbstractType Type { get; } = type;

        public bool Next(out Item item)
        {
            if (_nextInList is { } listItem)
            {
                _nextInList = listItem.Right;
                item = listItem;
                return true;
            }

            if (_map.MoveNext())
            {
                item = _map.Current;
                return true;
            }

            item = null!;
            return false;
        }
    }

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteTypeRef((int)TypeRef);
        if (TypeRef is TypeRef.XmlElement or TypeRef.XmlHook)
        {
            encoder.WriteKey(Name!);
        }
    }

    internal static ContentType ReadFrom(UpdateDecoder decoder)
    {
        long typeRef = decoder.ReadTypeRef();
        return typeRef switch
        {
            >= 0 and <= 6 when typeRef is (long)TypeRef.XmlElement or (long)TypeRef.XmlHook => new ContentType((TypeRef)typeRef, decoder.ReadKey()),
            >= 0 and <= 6 => new ContentType((TypeRef)typeRef, null),
            _ => ThrowHelper.Invalid<ContentType>(YjsFormatError.UnknownTypeRef, $"Unknown shared type ref {typeRef}."),
        };
    }
}
