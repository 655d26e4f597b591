using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Garbage-collected clocks: deleted content of which only the length is kept. Info byte 0, then <c>len</c>.</summary>
public sealed class Gc(Id id, long length) : AbstractStruct(id, length)
{
    internal const byte RefNumber = 0;

    public override bool Deleted => true;

    internal override bool MergeWith(AbstractStruct right)
    {
        if (right is not Gc)
        {
            return false;
        }

        Length += right.Length;
        return true;
    }

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteInfo(RefNumber);
        encoder.WriteLen(Length - offset);
    }

    internal void Integrate(Transaction transaction, long offset)
    {
        if (offset > 0)
        {
            Id = new Id(Id.Client, Id.Clock + offset);
            Length -= offset;
        }

        transaction.Doc.Store.AddStruct(this);
    }

    internal override AbstractStruct SliceRight(long diff) => new Gc(new Id(Id.Client, Id.Clock + diff), Length - diff);
}
