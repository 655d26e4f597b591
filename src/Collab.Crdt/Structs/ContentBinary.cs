using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>A byte array (ref 3): <c>varUint8Array</c>.</summary>
public sealed class ContentBinary(byte[] bytes) : Content
{
    internal const int RefNumber = 3;

    public byte[] Bytes { get; } = bytes;

    public override int Ref => RefNumber;

    public override long Length => 1;

    public override bool IsCountable => true;

    public override IReadOnlyList<object?> GetContent() => [Bytes];

    internal override Content Copy() => new ContentBinary(Bytes);

    internal override void Write(UpdateEncoder encoder, long offset) => encoder.WriteBuf(Bytes);
}
