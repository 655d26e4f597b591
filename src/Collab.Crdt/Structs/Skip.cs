using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// Clocks an update does not contain (a gap between the structs it has). Info byte 10, then <c>len</c> as
/// a varUint in the rest stream, in v1 and v2 alike.
/// </summary>
public sealed class Skip(Id id, long length) : AbstractStruct(id, length)
{
    internal const byte RefNumber = 10;

    public override bool Deleted => true;

    internal override bool MergeWith(AbstractStruct right)
    {
        if (right is not Skip)
        {
            return false;
        }

        Length += right.Length;
        return true;
    }

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteInfo(RefNumber);
        encoder.RestEncoder.WriteVarUint(Length - offset);
    }

    internal override AbstractStruct SliceRight(long diff) => new Skip(new Id(Id.Client, Id.Clock + diff), Length - diff);
}
