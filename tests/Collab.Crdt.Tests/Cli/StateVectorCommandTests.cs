using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

// Expected bytes: yjs 13.6.33 Y.encodeStateVectorFromUpdate(V2) on the same files.
public sealed class StateVectorCommandTests
{
    [Fact]
    public async Task State_vector_of_b4_replay_v1_is_client_1_at_clock_182315()
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("sv.bin");

        var run = await CliRun.RunAsync("update", "sv", PathOf(B4ReplayV1), output);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(Convert.FromHexString("0101ab900b"), File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData(B4ReplayV2, true, "0101ab900b")]
    [InlineData(B4UpdateV1, false, "01fdb1a0d9e3be29ab900b")]
    [InlineData(S1V2, true, "010081b121")]
    [InlineData(C1V2, true, "0201d1de120097ba11")]
    public async Task State_vector_matches_yjs(string file, bool v2, string hex)
    {
        var args = v2 ? new[] { "update", "sv", PathOf(file), "-", "--v2" } : new[] { "update", "sv", PathOf(file), "-" };

        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(hex, Convert.ToHexStringLower(run.Stdout));
    }

    [Fact]
    public async Task State_vector_reads_stdin_and_writes_stdout()
    {
        var run = await CliRun.RunAsync(Read(B4ReplayV1), "update", "sv", "-", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Convert.FromHexString("0101ab900b"), run.Stdout);
    }
}
