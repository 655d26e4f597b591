using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>The content of an <see cref="Item"/>; <see cref="Ref"/> is the low 5 bits of the item's info byte.</summary>
public abstract class Content
{
    public abstract int Ref { get; }

    /// <summary>How many clocks the content spans (UTF-16 code units for strings).</summary>
    public abstract long Length { get; }

    /// <summary>Whether the content counts towards a type's length (false for deleted and format content).</summary>
    public abstract bool IsCountable { get; }

    /// <summary>Cuts the content at <paramref name="offset"/>: this keeps the left part, the right part is returned.</summary>
    internal virtual Content Splice(long offset) =>
        throw new InvalidOperationException($"{GetType().Name} has length 1 and cannot be split.");

    internal virtual bool MergeWith(Content right) => false;

    internal abstract void Write(UpdateEncoder encoder, long offset);

    /// <summary>The values this content holds, one per clock (yjs <c>getContent</c>).</summary>
    public abstract IReadOnlyList<object?> GetContent();

    /// <summary>A fresh copy for re-insertion (snapshot restore).</summary>
    internal abstract Content Copy();

    internal virtual void Integrate(Transaction transaction, Item item)
    {
    }

    internal virtual void Delete(Transaction transaction)
    {
    }

    internal virtual void Gc(StructStore store)
    {
    }

    /// <summary>yjs <c>readItemContent</c>: the content for the ref in the info byte.</summary>
    internal static Content Read(UpdateDecoder decoder, int info)
    {
        switch (info & 0x1F)
        {
            case ContentDeleted.RefNumber: return new ContentDeleted(decoder.ReadLen());
            case ContentJson.RefNumber: return ContentJson.ReadFrom(decoder);
            case ContentBinary.RefNumber: return new ContentBinary(decoder.ReadBuf());
            case ContentString.RefNumber: return new ContentString(decoder.ReadString());
            case ContentEmbed.RefNumber: return new ContentEmbed(decoder.ReadJson());
            case ContentFormat.RefNumber:
            {
                string key = decoder.ReadKey();
                return new ContentFormat(key, decoder.ReadJson());
            }

            case ContentType.RefNumber: return ContentType.ReadFrom(decoder);
            case ContentAny.RefNumber: return ContentAny.ReadFrom(decoder);
            case ContentDoc.RefNumber: return ContentDoc.ReadFrom(decoder);
            default:
                return ThrowHelper.Invalid<Content>(YjsFormatError.UnknownContentKind, $"Unknown item content kind {info & 0x1F} (info byte {info}).");
        }
    }
}
