using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

public sealed class CliErrorTests
{
    [Fact]
    public async Task A_missing_input_file_exits_1_with_one_line_naming_it()
    {
        using var temp = new TempFolder();
        var missing = temp.PathOf("nope.bin");

        var run = await CliRun.RunAsync("update", "inspect", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal($"collab: cannot read '{missing}': no such file" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task An_output_in_a_missing_directory_exits_1()
    {
        using var temp = new TempFolder();
        var output = Path.Combine(temp.Root, "no-such-dir", "sv.bin");

        var run = await CliRun.RunAsync("update", "sv", PathOf(B4ReplayV1), output);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"collab: cannot write '{output}': no such directory" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task A_truncated_update_exits_2_with_one_line_and_no_stack_trace()
    {
        var truncated = Read(B4ReplayV1)[..1000];

        var run = await CliRun.RunAsync(truncated, "update", "inspect", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("collab: stdin is not a valid Yjs v1 update: ", run.Stderr);
        Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", run.Stderr); // a stack frame
    }

    [Fact]
    public async Task Garbage_bytes_exit_2()
    {
        var run = await CliRun.RunAsync("hello, world"u8.ToArray(), "update", "sv", "-", "-");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("collab: stdin is not a valid Yjs v1 update: ", run.Stderr);
    }

    [Fact]
    public async Task A_v2_update_read_as_v1_suggests_adding_v2()
    {
        var run = await CliRun.RunAsync("update", "inspect", PathOf(S1V2));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("If it is a v2 update, add --v2.", run.Stderr);
    }

    [Fact]
    public async Task Merging_v2_files_without_v2_fails_instead_of_writing_an_empty_update()
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("merged.bin");

        var run = await CliRun.RunAsync("update", "merge", output, PathOf(C1V2), PathOf(S1V2));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{PathOf(C1V2)}' is not a valid Yjs v1 update: it reads as the empty update followed by", run.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task The_empty_v1_update_is_accepted()
    {
        var run = await CliRun.RunAsync([0x00, 0x00], "update", "inspect", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"total\": 0", run.StdoutText);
    }

    [Fact]
    public async Task A_v1_update_read_as_v2_suggests_dropping_v2()
    {
        var run = await CliRun.RunAsync("update", "inspect", PathOf(B4ReplayV1), "--v2");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("If it is a v1 update, drop --v2.", run.Stderr);
    }

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        var run = await CliRun.RunAsync();

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("Run 'collab --help' for usage.", run.Stderr);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("update", "frobnicate");

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("frobnicate", run.Stderr);
    }

    [Fact]
    public async Task Help_lists_the_update_commands_and_exits_0()
    {
        var run = await CliRun.RunAsync("update", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "inspect", "merge", "diff", "sv", "convert" })
        {
            Assert.Contains(command, run.StdoutText);
        }
    }
}
