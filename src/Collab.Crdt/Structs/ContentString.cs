using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Text (ref 4): one string; its length counts UTF-16 code units.</summary>
public sealed class ContentString(string str) : Content
{
    internal const int RefNumber = 4;

    public string Str { get; private set; } = str;

    public override int Ref => RefNumber;

    public override long Length => Str.Length;

    public override bool IsCountable => true;

    // A cut inside a surrogate pair replaces both halves with U+FFFD, as yjs does.
    internal override Content Splice(long offset)
    {
        int off = (int)offset;
        string left = Str[..off];
        string right = Str[off..];
        if (off > 0 && char.IsHighSurrogate(left[off - 1]))
        {
            left = string.Concat(left.AsSpan(0, off - 1), "\uFFFD");
            right = right.Length > 0 ? string.Concat("\uFFFD", right.AsSpan(1)) : "\uFFFD";
        }

        Str = left;
        return new ContentString(right);
    }

    internal override bool MergeWith(Content right)
    {
        Str += ((ContentString)right).Str;
        return true;
    }

    internal override void Write(UpdateEncoder encoder, long offset) => encoder.WriteString(Str, (int)offset);
}
