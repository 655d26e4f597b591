using System.Security.Cryptography;
using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

// Expected outputs: yjs 13.6.33 Y.mergeUpdates(V2) on the same inputs.
public sealed class MergeCommandTests
{
    [Theory]
    [InlineData(B4ReplayV1, false)]
    [InlineData(B4ReplayV2, true)]
    [InlineData(S1V2, true)]
    public async Task Merging_a_yjs_written_update_with_itself_gives_it_back_unchanged(string file, bool v2)
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("merged.bin");
        string[] args = ["update", "merge", output, PathOf(file), PathOf(file)];

        var run = await CliRun.RunAsync(v2 ? [.. args, "--v2"] : args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal(Read(file), File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData(B4UpdateV1, false, 385_866, "48ee101a81b7448bcaa1f3662e19854408db04d4130d314bbe930e85ee40d5a1")]
    [InlineData(C1V2, true, 845_328, "4a82310e29ff1a6bffeefedef1577a4508510f8f6dbb4be9445d2980e75367c9")]
    public async Task Merging_an_update_with_itself_matches_yjs(string file, bool v2, int length, string sha256)
    {
        string[] args = ["update", "merge", "-", PathOf(file), PathOf(file)];

        var run = await CliRun.RunAsync(v2 ? [.. args, "--v2"] : args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(length, run.Stdout.Length);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(run.Stdout)));
    }

    [Fact]
    public async Task Merging_an_update_with_its_second_half_gives_the_update_back()
    {
        using var temp = new TempFolder();
        var halfStateVector = temp.Write("half.sv", Convert.FromHexString("010195c805")); // {1: 91157}
        var secondHalf = temp.PathOf("second-half.bin");
        var merged = temp.PathOf("merged.bin");

        var diff = await CliRun.RunAsync("update", "diff", PathOf(B4ReplayV1), halfStateVector, secondHalf);
        var merge = await CliRun.RunAsync(Read(B4ReplayV1), "update", "merge", merged, secondHalf, "-");

        Assert.Equal(0, diff.ExitCode);
        Assert.Equal(0, merge.ExitCode);
        Assert.Equal(Read(B4ReplayV1), File.ReadAllBytes(merged));
    }

    [Fact]
    public async Task Merging_names_the_input_that_is_malformed()
    {
        using var temp = new TempFolder();
        var broken = temp.Write("broken.bin", Read(B4ReplayV1)[..1000]);
        var output = temp.PathOf("merged.bin");

        var run = await CliRun.RunAsync("update", "merge", output, PathOf(B4ReplayV1), broken);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{broken}' is not a valid Yjs v1 update", run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Merging_stdin_twice_is_a_usage_error()
    {
        var run = await CliRun.RunAsync(Read(B4ReplayV1), "update", "merge", "-", "-", "-");

        Assert.Equal(64, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("stdin", run.Stderr);
    }

    [Fact]
    public async Task Merging_without_inputs_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("update", "merge", "-");

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("collab update merge --help", run.Stderr);
    }
}
