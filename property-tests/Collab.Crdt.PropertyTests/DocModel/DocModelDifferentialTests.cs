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
    private const int CasesAtScaleOne = 150;

    [Fact]
    public void Collab_documents_run_history_scripts_exactly_as_yjs_does()
    {
        var oracle = DocOracle.Shared;
        var excluded = ScriptFilter.FromEnvironment();
        output.WriteLine($"excluded areas: {excluded} (COLLAB_DOC_EXCLUDE)");
        var gen = HistoryGen.Script.Select(s => ScriptFilter.Apply(s.Json, excluded));
        int cases = 0;
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
                var diffs = Differences(script, yjs);
                if (diffs.Count == 0)
                {
                    return;
                }

                var category = diffs[0].Category;
                var small = DocScriptShrinker.Shrink(
                    script,
                    candidate => Differences(candidate, TryRun(oracle, candidate)).Any(d => d.Category == category),
                    TimeSpan.FromSeconds(30));
                var smallDiffs = Differences(small, oracle.Run(small));
                var path = DocReproStore.Save(small, smallDiffs, nameof(Collab_documents_run_history_scripts_exactly_as_yjs_does));
                throw new InvalidOperationException(
                    $"Collab differs from yjs ({diffs.Count} differences; minimised repro {path}):" + Environment.NewLine +
                    string.Join(Environment.NewLine, smallDiffs.Take(6).Select(d => Truncate(d.ToString(), 1500))) + Environment.NewLine +
                    "minimised script: " + Truncate(small.ToJsonString(), 4000));
            });
        }
        finally
        {
            output.WriteLine($"doc differential cases: {cases} ({oracleRejected} rejected by yjs, {clock.Elapsed.TotalSeconds:0.0} s)");
            RecordCases(cases);
        }
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
    private static List<DocDifference> Differences(JsonObject script, DocRun? yjs)
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

        return DocRunComparison.Compare(yjs, collab, (bool?)script["finalSync"] == true);
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
