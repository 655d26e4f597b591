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
public sealed class ContentType(TypeRef typeRef, string? name) : Content
{
    internal const int RefNumber = 7;

    public TypeRef TypeRef { get; } = typeRef;

    /// <summary>Node name of an XmlElement, hook name of an XmlHook, otherwise null.</summary>
    public string? Name { get; } = name;

    public override int Ref => RefNumber;

    public override long Length => 1;

    public override bool IsCountable => true;

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
