using System.Security.Cryptography;
using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

// Expected outputs: yjs 13.6.33 Y.diffUpdate(V2) against the state vector with every clock halved.
public sealed class DiffCommandTests
{
    [Theory]
    [InlineData(B4ReplayV1, false, "010195c805", 124_140, "1c6ac5eb81a29c6198f92d3f33784cea1584aa3616c6ca07a4bd5feadfa7cde2")]
    [InlineData(B4ReplayV2, true, "010195c805", 93_216, "ae2dd8fe165757d675de816da5caa70fd936b9b2dc06046ce0d83cb8cbd2e896")]
    [InlineData(B4UpdateV1, false, "01fdb1a0d9e3be2995c805", 210_077, "61561a411bfd1216c99a35a2ef2d6b4d7708b080f47c2bd1b3a864948166656d")]
    [InlineData(S1V2, true, "0100c0d810", 258_674, "1e0d6d40abfd73afcf061762550d63b3d89fa3fbae747758fffd2c67186b59d7")]
    [InlineData(C1V2, true, "0201a8af09008bdd08", 435_460, "9bf3f578bcae4099bf66697e8ea2d922b43ffb4ff0508f243c1b16a6326af5cc")]
    public async Task Diff_against_half_the_state_vector_matches_yjs(string file, bool v2, string stateVectorHex, int length, string sha256)
    {
        using var temp = new TempFolder();
        var stateVector = temp.Write("half.sv", Convert.FromHexString(stateVectorHex));
        string[] args = ["update", "diff", PathOf(file), stateVector, "-"];

        var run = await CliRun.RunAsync(v2 ? [.. args, "--v2"] : args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(length, run.Stdout.Length);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(run.Stdout)));
    }

    [Fact]
    public async Task Diff_against_the_empty_state_vector_gives_a_yjs_written_update_back()
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("diff.bin");

        var run = await CliRun.RunAsync([0x00], "update", "diff", PathOf(B4ReplayV1), "-", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Read(B4ReplayV1), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task Diff_with_the_state_vector_from_sv_leaves_no_structs()
    {
        using var temp = new TempFolder();
        var stateVector = temp.PathOf("doc.sv");
        var diff = temp.PathOf("diff.bin");

        var sv = await CliRun.RunAsync("update", "sv", PathOf(B4ReplayV2), stateVector, "--v2");
        var run = await CliRun.RunAsync("update", "diff", PathOf(B4ReplayV2), stateVector, diff, "--v2");
        var inspect = await CliRun.RunAsync("update", "inspect", diff, "--v2");

        Assert.Equal(0, sv.ExitCode);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("\"total\": 0", inspect.StdoutText);
        Assert.Contains("\"deleteRanges\": 2639", inspect.StdoutText);
    }

    [Fact]
    public async Task Diff_with_a_malformed_state_vector_names_the_state_vector_file()
    {
        using var temp = new TempFolder();
        var stateVector = temp.Write("bad.sv", [0x05, 0x01]);
        var output = temp.PathOf("diff.bin");

        var run = await CliRun.RunAsync("update", "diff", PathOf(B4ReplayV1), stateVector, output);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{stateVector}' is not a valid encoded state vector", run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Diff_rejects_an_update_passed_as_the_state_vector()
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("diff.bin");

        var run = await CliRun.RunAsync("update", "diff", PathOf(B4ReplayV1), PathOf(B4ReplayV1), output);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{PathOf(B4ReplayV1)}' is not a valid encoded state vector", run.Stderr);
        Assert.Contains("not an update", run.Stderr);
        Assert.False(File.Exists(output));
    }
}
