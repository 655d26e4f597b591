using System.Text;
using System.Text.Json;
using static Collab.Crdt.Tests.Cli.YjsUpdateFiles;

namespace Collab.Crdt.Tests.Cli;

// Expected outputs: UpdateJson/update-json.golden.json, written by UpdateJson/make-golden.mjs with yjs 13.6.33
// (JSON.stringify of toJSON / toString for each root of a doc that applied the same update).
public sealed class JsonCommandTests
{
    public static TheoryData<string> Cases => new(GoldenCase.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_with_types_prints_what_JSON_stringify_prints_in_yjs_for_v1_and_v2(string name)
    {
        var golden = GoldenCase.Get(name);

        var v1 = await CliRun.RunAsync(golden.Update, "update", "json", "-", "--types", golden.Types);
        var v2 = await CliRun.RunAsync(golden.UpdateV2, "update", "json", "-", "--v2", "--types", golden.Types);

        Assert.Equal("", v1.Stderr);
        Assert.Equal(0, v1.ExitCode);
        Assert.Equal(golden.Expected + "\n", v1.StdoutText);
        Assert.Equal(0, v2.ExitCode);
        Assert.Equal(golden.Expected + "\n", v2.StdoutText);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_without_types_prints_every_root_with_its_inferred_kind_as_yjs_renders_it(string name)
    {
        var golden = GoldenCase.Get(name);

        var v1 = await CliRun.RunAsync(golden.Update, "update", "json", "-");
        var v2 = await CliRun.RunAsync(golden.UpdateV2, "update", "json", "-", "--v2");

        Assert.Equal(0, v1.ExitCode);
        Assert.Equal(golden.ExpectedInferred + "\n", v1.StdoutText);
        Assert.Equal(0, v2.ExitCode);
        Assert.Equal(golden.ExpectedInferred + "\n", v2.StdoutText);
    }

    [Fact]
    public async Task Json_of_the_b4_replay_is_the_automerge_paper_end_content()
    {
        var run = await CliRun.RunAsync("update", "json", PathOf(B4ReplayV2), "--v2", "--types", "text:text");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.Equal(104_852, text.Length);
        Assert.Equal("a489e9022976c14e46627aea174d07797edcb3fd17df42605956d4cf01bf9039",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    [Theory]
    [InlineData("text", "'text' has no kind")]
    [InlineData("text:string", "'string' in 'text:string' is not a kind")]
    [InlineData("a:map,a:text", "the root 'a' is named twice")]
    public async Task A_bad_types_option_exits_64_and_says_how_to_write_it(string types, string message)
    {
        var run = await CliRun.RunAsync(Read(B4ReplayV1), "update", "json", "-", "--types", types);

        Assert.Equal(64, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("collab: --types: ", run.Stderr);
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public async Task A_root_name_may_contain_a_colon()
    {
        var golden = GoldenCase.Get("empty document");

        var run = await CliRun.RunAsync(golden.Update, "update", "json", "-", "--types", "a:b:map");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"a:b\":{}}\n", run.StdoutText);
    }

    [Fact]
    public async Task A_v2_update_read_as_v1_exits_2_and_suggests_v2()
    {
        var run = await CliRun.RunAsync("update", "json", PathOf(S1V2));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("add --v2", run.Stderr);
    }

    [Fact]
    public async Task An_update_with_missing_dependencies_prints_what_it_can_and_warns()
    {
        // The second half of B4 alone: every struct waits for the first half.
        var update = Read(B4ReplayV1);
        var half = Collab.Crdt.StateVector.Encode(new Dictionary<ulong, long> { [1] = 90_000 });
        var secondHalf = Updates.Diff(update, half);

        var run = await CliRun.RunAsync(secondHalf, "update", "json", "-", "--types", "text:text");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"text\":\"\"}\n", run.StdoutText);
        Assert.Contains("depends on updates it does not contain", run.Stderr);
    }

    private sealed record GoldenCase(string Name, byte[] Update, byte[] UpdateV2, string Types, string Expected, string ExpectedInferred)
    {
        public static readonly IReadOnlyList<GoldenCase> All = Load();

        public static GoldenCase Get(string name) => All.Single(c => c.Name == name);

        private static List<GoldenCase> Load()
        {
            var path = Path.Combine(TestPaths.RepoRoot, "tests", "Collab.Crdt.Tests", "Cli", "UpdateJson", "update-json.golden.json");
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var cases = new List<GoldenCase>();
            foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
            {
                cases.Add(new GoldenCase(
                    c.GetProperty("name").GetString()!,
                    Convert.FromBase64String(c.GetProperty("update").GetString()!),
                    Convert.FromBase64String(c.GetProperty("updateV2").GetString()!),
                    c.GetProperty("types").GetString()!,
                    c.GetProperty("expected").GetString()!,
                    c.GetProperty("expectedInferred").GetString()!));
            }

            return cases;
        }
    }
}
