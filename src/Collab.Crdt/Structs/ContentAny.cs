using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Array and map values (ref 8): <c>len</c>, then one lib0 <c>any</c> each.</summary>
public sealed class ContentAny(List<object?> values) : Content
{
    internal const int RefNumber = 8;

    public List<object?> Values { get; private set; } = values;

    public override int Ref => RefNumber;

    public override long Length => Values.Count;

    public override bool IsCountable => true;

    internal override Content Splice(long offset)
    {
        int off = (int)offset;
        var right = new ContentAny(Values.GetRange(off, Values.Count - off));
        Values = Values.GetRange(0, off);
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        Values.AddRange(((ContentAny)right).Values);
        return true;
    }

    public override IReadOnlyList<object?> GetContent() => Values;

    internal override Content Copy() => new ContentAny([.. Values]);

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteLen(Values.Count - offset);
        for (int i = (int)offset; i < Values.Count; i++)
        {
            encoder.WriteAny(Values[i]);
        }
    }

    internal static ContentAny ReadFrom(UpdateDecoder decoder)
    {
        long len = decoder.ReadLen();
        var values = new List<object?>();
        for (long i = 0; i < len; i++)
        {
            values.Add(decoder.ReadAny());
        }

        return new ContentAny(values);
    }
}
