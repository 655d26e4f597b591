using System.Text.Json;
using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

// Expected counts come from yjs 13.6.33: Y.decodeUpdate(V2) and Y.encodeStateVectorFromUpdate(V2) on the same files.
public sealed class InspectCommandTests
{
    [Fact]
    public async Task Inspect_of_b4_replay_v1_reports_one_client_its_structs_and_state_vector()
    {
        var run = await CliRun.RunAsync("update", "inspect", PathOf(B4ReplayV1));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("v1", root.GetProperty("format").GetString());
        Assert.Equal(223_414, root.GetProperty("bytes").GetInt64());
        Assert.Equal([1UL], Clients(root));
        var structs = root.GetProperty("structs");
        Assert.Equal(10_971, structs.GetProperty("total").GetInt64());
        Assert.Equal(10_971, structs.GetProperty("items").GetInt64());
        Assert.Equal(0, structs.GetProperty("gc").GetInt64());
        Assert.Equal(0, structs.GetProperty("skip").GetInt64());
        Assert.Equal(5_799, structs.GetProperty("itemsByContent").GetProperty("string").GetInt64());
        Assert.Equal(5_172, structs.GetProperty("itemsByContent").GetProperty("deleted").GetInt64());
        Assert.Equal(2_639, root.GetProperty("deleteRanges").GetInt64());
        Assert.Equal([(1UL, 182_315L)], StateVector(root));
    }

    [Theory]
    [InlineData(B4ReplayV2, "v2", 159_921, 5_799, 5_172, 2_639)]
    [InlineData(B4UpdateV1, "v1", 400_972, 5_755, 6_632, 6_632)]
    [InlineData(S1V2, "v2", 479_708, 17_397, 15_516, 7_917)]
    [InlineData(C1V2, "v2", 845_328, 38_750, 13_825, 11_950)]
    public async Task Inspect_counts_match_what_yjs_decodes(string file, string format, long bytes, long strings, long deleted, long deleteRanges)
    {
        var args = format == "v2"
            ? new[] { "update", "inspect", PathOf(file), "--v2" }
            : new[] { "update", "inspect", PathOf(file) };

        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(format, root.GetProperty("format").GetString());
        Assert.Equal(bytes, root.GetProperty("bytes").GetInt64());
        var structs = root.GetProperty("structs");
        Assert.Equal(strings + deleted, structs.GetProperty("total").GetInt64());
        Assert.Equal(strings, structs.GetProperty("itemsByContent").GetProperty("string").GetInt64());
        Assert.Equal(deleted, structs.GetProperty("itemsByContent").GetProperty("deleted").GetInt64());
        Assert.Equal(deleteRanges, root.GetProperty("deleteRanges").GetInt64());
    }

    [Fact]
    public async Task Inspect_writes_large_client_ids_as_exact_json_numbers()
    {
        var run = await CliRun.RunAsync("update", "inspect", PathOf(B4UpdateV1));

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal([182_476_973_021_437UL], Clients(json.RootElement));
        Assert.Equal([(182_476_973_021_437UL, 182_315L)], StateVector(json.RootElement));
    }

    [Fact]
    public async Task Inspect_of_c1_lists_both_clients_in_ascending_order()
    {
        var run = await CliRun.RunAsync("update", "inspect", PathOf(C1V2), "--v2");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal([0UL, 1UL], Clients(json.RootElement));
        Assert.Equal([(0UL, 285_975L), (1UL, 307_025L)], StateVector(json.RootElement));
    }

    [Fact]
    public async Task Inspect_reads_the_update_from_stdin_when_the_file_is_a_dash()
    {
        var run = await CliRun.RunAsync(Read(B4ReplayV2), "update", "inspect", "-", "--v2");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(159_921, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal([(1UL, 182_315L)], StateVector(json.RootElement));
    }

    private static ulong[] Clients(JsonElement root) =>
        root.GetProperty("clients").EnumerateArray().Select(e => e.GetUInt64()).ToArray();

    private static (ulong Client, long Clock)[] StateVector(JsonElement root) =>
        root.GetProperty("stateVector").EnumerateArray()
            .Select(e => (e.GetProperty("client").GetUInt64(), e.GetProperty("clock").GetInt64()))
            .ToArray();
}
