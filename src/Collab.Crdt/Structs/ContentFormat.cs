using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>A formatting mark in text (ref 6): key, then the value (JSON string in v1, <c>any</c> in v2).</summary>
public sealed class ContentFormat(string key, object? value) : Content
{
    internal const int RefNumber = 6;

    public string Key { get; } = key;

    public object? Value { get; } = value;

    public override int Ref => RefNumber;

    public override long Length => 1;

    public override bool IsCountable => false;

    public override IReadOnlyList<object?> GetContent() => [];

    internal override Content Copy() => new ContentFormat(Key, Value);

    internal override void Integrate(Transaction transaction, Item item)
    {
        // search markers are not supported for rich text
        var text = item.ParentType;
        text.SearchMarkers = null;
        if (text is YText yText)
        {
            yText.HasFormatting = true;
        }
    }

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteKey(Key);
        encoder.WriteJson(Value);
    }
}
