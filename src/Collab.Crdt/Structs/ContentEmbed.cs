using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>An embed in text (ref 5): JSON string in v1, <c>any</c> in v2.</summary>
public sealed class ContentEmbed(object? embed) : Content
{
    internal const int RefNumber = 5;

    public object? Embed { get; } = embed;

    public override int Ref => RefNumber;

    public override long Length => 1;

    public override bool IsCountable => true;

    public override IReadOnlyList<object?> GetContent() => [Embed];

    internal override Content Copy() => new ContentEmbed(Embed);

    internal override void Write(UpdateEncoder encoder, long offset) => encoder.WriteJson(Embed);
}
