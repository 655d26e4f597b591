using System.IO.Compression;
using System.Text;
using System.Text.Json;
using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

public sealed class ReplayCommandTests
{
    private static readonly string Sequential = Path.Combine(TestPaths.Shared, "traces", "sequential");

    private static string AutomergePaper => Path.Combine(Sequential, "automerge-paper.json.gz");

    // Every trace file, both the originals and the ascii_only variants.
    public static TheoryData<string> Traces => new(
        Directory.GetFiles(Sequential, "*.json.gz", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Sequential, p))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Traces))]
    public async Task Every_sequential_trace_replays_to_its_end_content(string trace)
    {
        var run = await CliRun.RunAsync("trace", "replay", Path.Combine(Sequential, trace));

        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
        var line = ParseLine(run.StdoutText);
        Assert.True(line.GetProperty("ok").GetBoolean());
        Assert.True(line.GetProperty("ops").GetInt64() > 0);
        Assert.True(line.GetProperty("updateBytes").GetInt64() > 0);
        Assert.True(line.GetProperty("ms").GetDouble() >= 0);
    }

    // updateBytes: the sum of the per-transaction updates yjs 13.6.33 emits for the same replay ('update' and
    // 'updateV2' events, doc.clientID = 1).
    [Theory]
    [InlineData(false, B4ReplayV1, 3_828_798)]
    [InlineData(true, B4ReplayV2, 6_526_792)]
    public async Task Automerge_paper_with_client_1_writes_the_bytes_yjs_writes(bool v2, string expectedFile, long updateBytes)
    {
        using var temp = new TempFolder();
        var output = temp.PathOf("b4.bin");
        string[] args = ["trace", "replay", AutomergePaper, "--client-id", "1", "--out", output];

        var run = await CliRun.RunAsync(v2 ? [.. args, "--v2"] : args);

        Assert.Equal(0, run.ExitCode);
        var line = ParseLine(run.StdoutText);
        Assert.Equal(259_778, line.GetProperty("ops").GetInt64());
        Assert.Equal(104_852, line.GetProperty("length").GetInt64());
        Assert.Equal(updateBytes, line.GetProperty("updateBytes").GetInt64());
        Assert.True(line.GetProperty("ok").GetBoolean());
        Assert.Equal(Read(expectedFile), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task The_line_has_the_fields_in_the_documented_order()
    {
        using var temp = new TempFolder();
        var trace = temp.Write("t.json.gz", Gzip("""{"startContent":"","endContent":"hi!","txns":[{"patches":[[0,0,"hello"],[1,4,"i"]]},{"patches":[[2,0,"!"]]}]}"""));

        var run = await CliRun.RunAsync("trace", "replay", trace, "--client-id", "7");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches("""^\{"ops":3,"ms":[0-9.]+(E-?[0-9]+)?,"updateBytes":[1-9][0-9]*,"length":3,"ok":true\}\n$""", run.StdoutText);
    }

    [Fact]
    public async Task Out_to_stdout_moves_the_line_to_stderr()
    {
        using var temp = new TempFolder();
        var trace = temp.Write("t.json.gz", Gzip("""{"endContent":"ab","txns":[{"patches":[[0,0,"ab"]]}]}"""));

        var run = await CliRun.RunAsync("trace", "replay", trace, "--client-id", "1", "--out", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("{\"ops\":1,", run.Stderr);
        var doc = new Doc();
        doc.ApplyUpdate(run.Stdout);
        Assert.Equal("ab", doc.GetText("text").ToString());
    }

    [Fact]
    public async Task A_trace_that_misses_its_end_content_prints_ok_false_and_exits_70()
    {
        using var temp = new TempFolder();
        var trace = temp.Write("t.json.gz", Gzip("""{"endContent":"not this","txns":[{"patches":[[0,0,"ab"]]}]}"""));

        var run = await CliRun.RunAsync("trace", "replay", trace);

        Assert.Equal(70, run.ExitCode);
        Assert.True(ParseLine(run.StdoutText).GetProperty("ok").GetBoolean() is false);
        Assert.Contains("did not reach the trace's endContent", run.Stderr);
    }

    [Fact]
    public async Task A_patch_beyond_the_end_of_the_text_exits_2_naming_it()
    {
        using var temp = new TempFolder();
        var trace = temp.Write("t.json.gz", Gzip("""{"endContent":"","txns":[{"patches":[[0,0,"ab"]]},{"patches":[[1,5,""]]}]}"""));

        var run = await CliRun.RunAsync("trace", "replay", trace);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("txns[1].patches[0] edits at 1..6, but the text is 2 long", run.Stderr);
    }

    [Fact]
    public async Task A_file_that_is_not_gzip_exits_2()
    {
        var run = await CliRun.RunAsync("trace", "replay", PathOf(B4ReplayV1));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not an editing trace: it is not gzip data", run.Stderr);
    }

    [Fact]
    public async Task Gzipped_json_of_another_shape_exits_2()
    {
        using var temp = new TempFolder();
        var trace = temp.Write("t.json.gz", Gzip("""{"txns":[]}"""));

        var run = await CliRun.RunAsync("trace", "replay", trace);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("expected an object with \"endContent\"", run.Stderr);
    }

    [Fact]
    public async Task A_missing_trace_exits_1()
    {
        using var temp = new TempFolder();
        var missing = temp.PathOf("nope.json.gz");

        var run = await CliRun.RunAsync("trace", "replay", missing);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"collab: cannot read '{missing}': no such file" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task A_client_id_above_2_pow_53_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("trace", "replay", AutomergePaper, "--client-id", "9007199254740992");

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("--client-id must be at most 9007199254740991", run.Stderr);
    }

    private static JsonElement ParseLine(string stdout)
    {
        Assert.EndsWith("\n", stdout);
        Assert.DoesNotContain('\n', stdout[..^1]);
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.Clone();
    }

    private static byte[] Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return buffer.ToArray();
    }
}
