using System.Text;
using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Text (ref 4): one string; its length counts UTF-16 code units.</summary>
public sealed class ContentString : Content
{
    internal const int RefNumber = 4;

    // Typing appends one character at a time and the transaction merges it into its left neighbour;
    // a builder keeps those merges O(1) amortized instead of copying the run each time.
    private string? _str;
    private StringBuilder? _sb;

    public ContentString(string str) => _str = str;

    public string Str => _str ??= _sb!.ToString();

    public override int Ref => RefNumber;

    public override long Length => _sb?.Length ?? _str!.Length;

    public override bool IsCountable => true;

    /// <summary>Appends the text to <paramref name="sb"/> without materializing a merged string.</summary>
    internal void AppendTo(StringBuilder sb)
    {
        if (_str is not null)
        {
            sb.Append(_str);
        }
        else
        {
            sb.Append(_sb);
        }
    }

    public override IReadOnlyList<object?> GetContent()
    {
        string s = Str;
        var chars = new object?[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            chars[i] = s[i].ToString();
        }

        return chars;
    }

    internal override Content Copy() => new ContentString(Str);

    // A cut inside a surrogate pair replaces both halves with U+FFFD, as yjs does.
    internal override Content Splice(long offset)
    {
        int cut = (int)offset;
        if (_sb is { } sb && !char.IsHighSurrogate(sb[cut - 1]))
        {
            // a merged run: cut the builder instead of materializing the whole run as a string
            var tail = new ContentString(sb.ToString(cut, sb.Length - cut));
            sb.Length = cut;
            _str = null; // a cached copy of the whole run is stale now
            return tail;
        }

        string s = Str;
        int off = (int)offset;
        string left = s[..off];
        string right = s[off..];
        if (off > 0 && char.IsHighSurrogate(left[off - 1]))
        {
            left = string.Concat(left.AsSpan(0, off - 1), "\uFFFD");
            right = right.Length > 0 ? string.Concat("\uFFFD", right.AsSpan(1)) : "\uFFFD";
        }

        _str = left;
        _sb = null;
        return new ContentString(right);
    }

    internal override bool MergeWith(Content right)
    {
        var r = (ContentString)right;
        _sb ??= new StringBuilder(_str, Math.Max(16, _str!.Length * 2));
        _str = null;
        r.AppendTo(_sb);
        return true;
    }

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        if (offset > 0 && _str is null)
        {
            // only the tail is new: avoid materializing a long merged run
            encoder.WriteString(_sb!.ToString((int)offset, _sb.Length - (int)offset));
            return;
        }

        encoder.WriteString(Str, (int)offset);
    }
}
