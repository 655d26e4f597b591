using System.Security.Cryptography;

namespace Collab.Crdt.Tests.Golden;

/// <summary>Real updates written by yjs and yrs (see shared/traces/SOURCES.md) decode and re-encode as yjs does.</summary>
public sealed class GoldenFileTests
{
    public static TheoryData<string, UpdateFormat> AllFiles => new()
    {
        { "b4-update.v1.bin", UpdateFormat.V1 },
        { "b4-replay.yjs13.6.33.client1.v1.bin", UpdateFormat.V1 },
        { "b4-replay.yjs13.6.33.client1.v2.bin", UpdateFormat.V2 },
        { "egwalker/S1.v2.yjs", UpdateFormat.V2 },
        { "egwalker/S2.v2.yjs", UpdateFormat.V2 },
        { "egwalker/S3.v2.yjs", UpdateFormat.V2 },
        { "egwalker/C1.v2.yjs", UpdateFormat.V2 },
    };

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void Every_golden_file_decodes(string file, UpdateFormat format)
    {
        var decoded = Updates.Decode(TestPaths.ReadUpdate(file), format);
        Assert.NotEmpty(decoded.Structs);
        Assert.NotEmpty(decoded.DeleteSet.Clients);
    }

    [Theory]
    [InlineData("b4-update.v1.bin", 12_387, 6_632, 1)]
    [InlineData("b4-replay.yjs13.6.33.client1.v1.bin", 10_971, 2_639, 1)]
    public void B4_files_have_the_documented_struct_and_delete_range_counts(string file, int structs, int ranges, int clients)
    {
        var decoded = Updates.Decode(TestPaths.ReadUpdate(file), UpdateFormat.V1);
        Assert.Equal(structs, decoded.Structs.Count);
        Assert.Equal(ranges, decoded.DeleteSet.RangeCount);
        Assert.Equal(clients, decoded.Structs.Select(s => s.Id.Client).Distinct().Count());
        Assert.All(decoded.Structs, s => Assert.True(s is Item { Content: ContentString or ContentDeleted }));
    }

    [Theory]
    [InlineData("egwalker/S1.v2.yjs", 32_913, 7_917, 546_945)]
    [InlineData("egwalker/S2.v2.yjs", 45_276, 10_204, 637_467)]
    [InlineData("egwalker/S3.v2.yjs", 48_240, 1_396, 1_230_871)]
    [InlineData("egwalker/C1.v2.yjs", 52_575, 11_950, 593_000)]
    public void Egwalker_files_have_the_documented_counts(string file, int structs, int ranges, long inserted)
    {
        byte[] update = TestPaths.ReadUpdate(file);
        var decoded = Updates.Decode(update, UpdateFormat.V2);
        Assert.Equal(structs, decoded.Structs.Count);
        Assert.Equal(ranges, decoded.DeleteSet.RangeCount);
        var sv = StateVector.Decode(Updates.EncodeStateVectorFromUpdate(update, UpdateFormat.V2));
        Assert.Equal(inserted, sv.Values.Sum());
    }

    [Theory]
    [InlineData("egwalker/S1.v2.yjs")]
    [InlineData("egwalker/S2.v2.yjs")]
    [InlineData("egwalker/S3.v2.yjs")]
    [InlineData("b4-replay.yjs13.6.33.client1.v2.bin")]
    public void V2_files_written_by_yjs_reencode_byte_identically(string file)
    {
        byte[] update = TestPaths.ReadUpdate(file);
        Assert.Equal(update, Updates.Encode(Updates.Decode(update, UpdateFormat.V2), UpdateFormat.V2));
        Assert.Equal(update, Updates.Convert(update, UpdateFormat.V2, UpdateFormat.V2));
    }

    [Fact]
    public void B4_replay_v1_reencodes_byte_identically()
    {
        byte[] v1 = TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v1.bin");
        Assert.Equal(v1, Updates.Encode(Updates.Decode(v1, UpdateFormat.V1), UpdateFormat.V1));
    }

    [Fact]
    public void B4_replay_converts_v1_to_v2_exactly_and_back()
    {
        byte[] v1 = TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v1.bin");
        byte[] v2 = TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v2.bin");
        Assert.Equal("7ef5186dd0b56be3629cd498cabdd695ee0ba4a3a74d059a0666dd5c9a45cde1", Convert.ToHexStringLower(SHA256.HashData(v2)));
        Assert.Equal(v2, Updates.Convert(v1, UpdateFormat.V1, UpdateFormat.V2));
        Assert.Equal(v1, Updates.Convert(v2, UpdateFormat.V2, UpdateFormat.V1));
    }

    [Fact]
    public void B4_replay_state_vector_is_client_1_at_182315()
    {
        byte[] v1 = TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v1.bin");
        byte[] v2 = TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v2.bin");
        byte[] expected = [0x01, 0x01, 0xab, 0x90, 0x0b];
        Assert.Equal(expected, Updates.EncodeStateVectorFromUpdate(v1));
        Assert.Equal(expected, Updates.EncodeStateVectorFromUpdate(v2, UpdateFormat.V2));
    }

    [Fact]
    public void C1_differs_from_yjs_only_in_delete_set_client_order()
    {
        // yrs 0.20 wrote delete-set clients ascending; yjs (and Collab) write them descending, same size.
        byte[] c1 = TestPaths.ReadUpdate("egwalker/C1.v2.yjs");
        byte[] again = Updates.Convert(c1, UpdateFormat.V2, UpdateFormat.V2);
        Assert.Equal(c1.Length, again.Length);
        Assert.NotEqual(c1, again);
        Assert.Equal(again, Updates.Convert(again, UpdateFormat.V2, UpdateFormat.V2));
    }
}
