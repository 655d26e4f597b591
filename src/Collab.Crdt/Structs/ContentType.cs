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

    internal override void Delete(Transaction transaction)
    {
        var type = Type!;
        for (var item = type.Start; item is not null; item = item.Right)
        {
            if (!item.Deleted)
            {
                item.Delete(transaction);
            }
            else if (item.Id.Clock < transaction.BeforeStateMap.Get(item.Id.Client))
            {
                // this will be gc'd later and we want to merge it if possible
                transaction.MergeStructs.Add(item);
            }
        }

        foreach (var item in type.Map.Values)
        {
            if (!item.Deleted)
            {
                item.Delete(transaction);
            }
            else if (item.Id.Clock < transaction.BeforeStateMap.Get(item.Id.Client))
            {
                transaction.MergeStructs.Add(item);
            }
        }

        transaction.RemoveChanged(type);
    }

    internal override void Gc(StructStore store)
    {
        var type = Type!;
        for (var item = type.Start; item is not null; item = item.Right)
        {
            item.Gc(store, parentGcd: true);
        }

        type.Start = null;
        foreach (var last in type.Map.Values)
        {
            for (var item = last; item is not null; item = item.Left)
            {
                item.Gc(store, parentGcd: true);
            }
        }

        type.Map.Clear();
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
