using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Collab.Crdt.PropertyTests.Generators;
using Collab.Crdt.Tests.DocOracle;
using Collab.Crdt.Tests.Oracle;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// Issue 3's differential test of the document model: HistoryGen's multi-peer scripts (every shared type, nesting,
/// formatting, embeds, XML, subdocuments, deliveries in random order with duplicates and gaps, state syncs) run on
/// Collab <see cref="Doc"/>s and in yjs (doc-oracle.mjs). For every peer the JSON and a structural dump of every
/// root, the encoded state (v1, v2) and the state vector equal yjs'; every update event's bytes equal yjs'; peers
/// that synced everything converge. A failure is minimised and saved under tests/Collab.Crdt.Tests/DocOracle/repros/.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class DocModelDifferentialTests(ITestOutputHelper output)
{
    private const int CasesAtScaleOne = 1000;

    [Fact]
    public void Collab_documents_run_history_scripts_exactly_as_yjs_does()
    {
        var oracle = DocOracle.Shared;
        var excluded = ScriptFilter.FromEnvironment();
        output.WriteLine($"excluded areas: {excluded} (COLLAB_DOC_EXCLUDE)");
        var gen = HistoryGen.Script.Select(s => ScriptFilter.Apply(s.Json, excluded));
        int cases = 0;
        var failures = new HashSet<string>(StringComparer.Ordinal);
        var reports = new List<string>();
        int oracleRejected = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            PropertyRun.Check(output, nameof(Collab_documents_run_history_scripts_exactly_as_yjs_does), gen, PropertyRun.Cases(CasesAtScaleOne), script =>
            {
                DocRun yjs;
                try
                {
                    yjs = oracle.Run(script);
                }
                catch (YjsOracleException e) when (!e.Error.StartsWith("no answer", StringComparison.Ordinal))
                {
                    // A script yjs itself cannot run says nothing about Collab.
                    oracleRejected++;
                    output.WriteLine($"yjs rejected a script: {FirstLine(e.Error)}");
                    return;
                }

                cases++;
                var diffs = Differences(script, yjs, excluded);
                if (diffs.Count == 0)
                {
                    return;
                }

                // One minimised repro per kind of difference; the run goes on to find other kinds.
                // A missing or extra update event is its own bug, even when the documents differ too.
                var signature = Signature(diffs.FirstOrDefault(d => d.Category == "updates.count") ?? diffs[0]);
                if (!failures.Add(signature) || failures.Count > MaxReprosPerRun)
                {
                    return;
                }

                var small = DocScriptShrinker.Shrink(
                    script,
                    candidate => Differences(candidate, TryRun(oracle, candidate), excluded).Any(d => Signature(d) == signature),
                    TimeSpan.FromSeconds(10));
                var smallDiffs = Differences(small, oracle.Run(small), excluded);
                var path = DocReproStore.Save(small, smallDiffs, nameof(Collab_documents_run_history_scripts_exactly_as_yjs_does));
                reports.Add(
                    $"{signature}: {diffs.Count} differences; minimised repro {path}:" + Environment.NewLine +
                    string.Join(Environment.NewLine, smallDiffs.Take(6).Select(d => "  " + Truncate(d.ToString(), 1500))) + Environment.NewLine +
                    "  minimised script: " + Truncate(small.ToJsonString(), 4000));
            });
        }
        finally
        {
            foreach (var r in reports)
            {
                output.WriteLine(r);
            }

            output.WriteLine($"doc differential cases: {cases} ({oracleRejected} rejected by yjs, {clock.Elapsed.TotalSeconds:0.0} s)");
            RecordCases(cases);
        }

        Assert.True(failures.Count == 0, $"Collab differs from yjs in {failures.Count} ways ({string.Join(", ", failures)}):" + Environment.NewLine + string.Join(Environment.NewLine, reports));
    }

    private const int MaxReprosPerRun = 4;

    /// <summary>The kind of a difference: its category and the root kind it shows in (so one bug gives one repro).</summary>
    private static string Signature(DocDifference d)
    {
        if (d.Category == "throws")
        {
            return "throws:" + (d.Collab.Length > 60 ? d.Collab[..60] : d.Collab);
        }

        var root = d.Where.Contains("root ", StringComparison.Ordinal) ? d.Where[(d.Where.IndexOf("root ", StringComparison.Ordinal) + 5)..].Split(':')[0] : "";
        var kind = DocScriptRunner.Roots.FirstOrDefault(r => r.Name == root).Kind;
        return kind is null ? d.Category : d.Category + ":" + kind;
    }

    /// <summary>
    /// Every saved repro (tests/Collab.Crdt.Tests/DocOracle/repros/*.json) runs as in yjs, with nothing excluded: a
    /// fixed engine bug stays fixed. Each file's differences are printed, so this is also how to look at one.
    /// </summary>
    [Fact]
    public void Saved_doc_model_repros_run_exactly_as_in_yjs()
    {
        var oracle = DocOracle.Shared;
        var failing = new List<string>();
        var files = Directory.Exists(DocReproStore.Directory) ? Directory.GetFiles(DocReproStore.Directory, "*.json").Order(StringComparer.Ordinal).ToList() : [];
        foreach (var path in files)
        {
            var script = JsonNode.Parse(File.ReadAllText(path))!["script"]!.AsObject();
            var diffs = Differences(script, oracle.Run(script), ScriptAreas.None);
            output.WriteLine($"{Path.GetFileName(path)}: {(diffs.Count == 0 ? "same as yjs" : diffs.Count + " differences")}");
            foreach (var d in diffs.Take(6))
            {
                output.WriteLine("  " + Truncate(d.ToString(), 600));
            }

            if (diffs.Count > 0)
            {
                failing.Add(Path.GetFileName(path));
            }
        }

        Assert.True(failing.Count == 0, $"{failing.Count} of {files.Count} saved repros still differ from yjs: {string.Join(", ", failing)}");
    }

    private static DocRun? TryRun(DocOracle oracle, JsonObject script)
    {
        try
        {
            return oracle.Run(script);
        }
        catch (YjsOracleException)
        {
            return null;
        }
    }

    /// <summary>What differs between Collab's run and yjs' (nothing when yjs could not run it); a Collab throw is a difference.</summary>
    private static List<DocDifference> Differences(JsonObject script, DocRun? yjs, ScriptAreas excluded)
    {
        if (yjs is null)
        {
            return [];
        }

        DocRun collab;
        try
        {
            collab = DocScriptRunner.Run(script);
        }
        catch (Exception e)
        {
            return [new DocDifference("throws", e.GetType().Name, "(runs)", FirstLine(e.Message) + " " + FirstLine(e.StackTrace ?? ""))];
        }

        return DocRunComparison.Compare(yjs, collab, (bool?)script["finalSync"] == true, excluded);
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return i < 0 ? s : s[..i];
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    private static void RecordCases(int cases)
    {
        if (Environment.GetEnvironmentVariable("COLLAB_CASES_FILE") is { Length: > 0 } file)
        {
            File.AppendAllText(file, "doc differential cases: " + cases.ToString(CultureInfo.InvariantCulture) + Environment.NewLine);
        }
    }
}
