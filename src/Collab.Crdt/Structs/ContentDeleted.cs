using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Deleted content whose item is kept (ref 1): just <c>len</c>.</summary>
public sealed class ContentDeleted(long length) : Content
{
    internal const int RefNumber = 1;

    private long _length = length;

    public override int Ref => RefNumber;

    public override long Length => _length;

    public override bool IsCountable => false;

    internal override Content Splice(long offset)
    {
        var right = new ContentDeleted(_length - offset);
        _length = offset;
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        _length += right.Length;
        return true;
    }

    public override IReadOnlyList<object?> GetContent() => [];

    internal override Content Copy() => new ContentDeleted(_length);

    internal override void Integrate(Transaction transaction, Item item)
    {
        transaction.DeleteSet.Add(item.Id.Client, item.Id.Clock, _length);
        item.MarkDeleted();
    }

    internal override void Write(UpdateEncoder encoder, long offset) => encoder.WriteLen(_length - offset);
}
