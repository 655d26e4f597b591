using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>A run of <see cref="Length"/> consecutive clocks of one client: <see cref="Gc"/>, <see cref="Skip"/> or <see cref="Item"/>.</summary>
public abstract class AbstractStruct
{
    private protected AbstractStruct(Id id, long length)
    {
        Id = id;
        Length = length;
    }

    public Id Id { get; internal set; }

    public long Length { get; internal set; }

    public abstract bool Deleted { get; }

    /// <summary>Appends <paramref name="right"/> to this struct if both can be one; yjs <c>mergeWith</c>.</summary>
    internal abstract bool MergeWith(AbstractStruct right);

    /// <summary>Writes the struct, without its first <paramref name="offset"/> clocks.</summary>
    internal abstract void Write(UpdateEncoder encoder, long offset);

    /// <summary>The part from <paramref name="diff"/> on, as a new struct (yjs <c>sliceStruct</c>, for the update algebra).</summary>
    internal abstract AbstractStruct SliceRight(long diff);
}
