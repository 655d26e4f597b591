using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Legacy JSON values (ref 2): <c>len</c>, then one JSON string each (<c>"undefined"</c> for undefined).</summary>
public sealed class ContentJson(List<object?> values) : Content
{
    internal const int RefNumber = 2;

    public List<object?> Values { get; private set; } = values;

    public override int Ref => RefNumber;

    public override long Length => Values.Count;

    public override bool IsCountable => true;

    internal override Content Splice(long offset)
    {
        int off = (int)offset;
        var right = new ContentJson(Values.GetRange(off, Values.Count - off));
        Values = Values.GetRange(0, off);
        return right;
    }

    internal override bool MergeWith(Content right)
    {
        Values.AddRange(((ContentJson)right).Values);
        return true;
    }

    public override IReadOnlyList<object?> GetContent() => Values;

    internal override Content Copy() => new ContentJson([.. Values]);

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteLen(Values.Count - offset);
        for (int i = (int)offset; i < Values.Count; i++)
        {
            encoder.WriteString(JsJson.Stringify(Values[i]) ?? "undefined");
        }
    }

    internal static ContentJson ReadFrom(UpdateDecoder decoder)
    {
        long len = decoder.ReadLen();
        var values = new List<object?>();
        for (long i = 0; i < len; i++)
        {
            string s = decoder.ReadString();
            values.Add(s == "undefined" ? Undefined.Value : JsJson.Parse(s, decoder.Limits.MaxDepth));
        }

        return new ContentJson(values);
    }
}
