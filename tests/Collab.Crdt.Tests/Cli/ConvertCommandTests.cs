using System.Security.Cryptography;
using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

// Expected hashes: yjs 13.6.33 Y.convertUpdateFormatV1ToV2 / V2ToV1 on the same files.
public sealed class ConvertCommandTests
{
    [Fact]
    public async Task Convert_of_b4_replay_v1_to_v2_equals_the_yjs_v2_file()
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("out.v2.bin");

        var run = await CliRun.RunAsync("update", "convert", PathOf(B4ReplayV1), output, "--to", "v2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(Read(B4ReplayV2), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task Convert_of_b4_replay_v2_to_v1_equals_the_yjs_v1_file()
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("out.v1.bin");

        var run = await CliRun.RunAsync("update", "convert", PathOf(B4ReplayV2), output, "--to", "v1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Read(B4ReplayV1), File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData(B4UpdateV1, "v2", 174_403, "750d416dc36acffe6935e871cebc5979655affc1b8f1b4f22793784b02554d35")]
    [InlineData(S1V2, "v1", 674_157, "1f7a9695ffa52c5fde708c9722251cc9da930fb4ebf064743e5e50cd3c161e0b")]
    [InlineData(C1V2, "v1", 1_099_368, "d074679daebfdd0435d3f61540cfef0886ba8990e3da68f91e3e648a8fc1ac43")]
    public async Task Convert_matches_yjs_byte_for_byte(string file, string to, int length, string sha256)
    {
        var run = await CliRun.RunAsync("update", "convert", PathOf(file), "-", "--to", to);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(length, run.Stdout.Length);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(run.Stdout)));
    }

    [Fact]
    public async Task Convert_pipes_stdin_to_stdout()
    {
        var run = await CliRun.RunAsync(Read(B4ReplayV1), "update", "convert", "-", "-", "--to", "v2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Read(B4ReplayV2), run.Stdout);
    }

    [Fact]
    public async Task Convert_of_a_file_already_in_the_target_format_fails_with_a_hint()
    {
        var run = await CliRun.RunAsync("update", "convert", PathOf(B4ReplayV2), "-", "--to", "v2");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("is not a valid Yjs v1 update", run.Stderr);
        Assert.Contains("already v2", run.Stderr);
    }

    [Fact]
    public async Task Convert_to_an_unknown_format_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("update", "convert", PathOf(B4ReplayV1), "-", "--to", "v3");

        Assert.Equal(64, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("collab update convert --help", run.Stderr);
    }

    [Fact]
    public async Task Convert_without_to_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("update", "convert", PathOf(B4ReplayV1), "-");

        Assert.Equal(64, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("--to", run.Stderr);
    }
}
