namespace Collab.Crdt.Tests.Codec;

public sealed class UpdateAlgebraTests
{
    private static readonly byte[] B4 = TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v1.bin");

    [Fact]
    public void Merging_an_update_with_itself_gives_the_same_update()
    {
        Assert.Equal(B4, Updates.Merge([B4, B4]));
    }

    [Fact]
    public void Merging_one_update_returns_it_unchanged()
    {
        byte[] notAnUpdate = [1, 2, 3];
        Assert.Same(notAnUpdate, Updates.Merge([notAnUpdate]));
    }

    [Fact]
    public void Diff_against_the_full_state_vector_leaves_only_the_delete_set()
    {
        byte[] sv = Updates.EncodeStateVectorFromUpdate(B4);
        byte[] diff = Updates.Diff(B4, sv);
        var decoded = Updates.Decode(diff);
        Assert.Empty(decoded.Structs);
        Assert.Equal(2_639, decoded.DeleteSet.RangeCount);
    }

    [Fact]
    public void Diff_at_half_then_merge_with_the_first_half_rebuilds_the_update()
    {
        byte[] half = StateVector.Encode(new Dictionary<ulong, long> { [1] = 91_000 });
        byte[] second = Updates.Diff(B4, half);
        var meta = Updates.ParseUpdateMeta(second);
        Assert.Equal(91_000, meta.From[1]);
        Assert.Equal(182_315, meta.To[1]);
        Assert.Equal(B4, Updates.Merge([B4, second]));
    }

    [Fact]
    public void Empty_update_has_an_empty_state_vector_and_meta()
    {
        byte[] empty = [0, 0];
        Assert.Equal(new byte[] { 0 }, Updates.EncodeStateVectorFromUpdate(empty));
        Assert.Empty(Updates.ParseUpdateMeta(empty).From);
        Assert.Equal(new byte[] { 0, 0 }, Updates.Merge([empty, empty]));
    }

    [Fact]
    public void Truncated_update_is_rejected_with_a_typed_error()
    {
        var ex = Assert.Throws<YjsFormatException>(() => Updates.Decode(B4[..(B4.Length / 2)]));
        Assert.Equal(YjsFormatError.UnexpectedEndOfBuffer, ex.Reason);
    }

    [Fact]
    public void A_v2_update_claiming_endless_structs_is_rejected_quickly()
    {
        // v2 columns repeat their last value forever, so a struct can cost no bytes: a tiny update that
        // declares 2^40 GC structs must fail on the struct budget, not loop.
        byte[] hostile = [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0, 0];
        var ex = Assert.Throws<YjsFormatException>(() => Updates.Decode(hostile, UpdateFormat.V2));
        Assert.Contains(ex.Reason, new[] { YjsFormatError.LimitExceeded, YjsFormatError.UnexpectedEndOfBuffer });
    }
}
