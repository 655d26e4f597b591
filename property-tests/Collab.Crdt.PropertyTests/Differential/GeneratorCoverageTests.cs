using Collab.Crdt.Tests.Oracle;
using Xunit.Abstractions;

namespace Collab.Crdt.PropertyTests.Differential;

/// <summary>
/// The differential tests are only as good as the histories behind them: this checks, through yjs' own decoder,
/// that the generator reaches every struct kind, content kind, type and info flag.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class GeneratorCoverageTests(YjsOracleFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Required =
    [
        "GC", "Skip", "ContentDeleted", "ContentJSON", "ContentBinary", "ContentString", "ContentEmbed", "ContentFormat",
        "ContentAny", "ContentDoc", "ContentDoc:meta", "ContentType:YArray", "ContentType:YMap", "ContentType:YText",
        "ContentType:YXmlElement", "ContentType:YXmlFragment", "ContentType:YXmlHook", "ContentType:YXmlText",
        "origin", "rightOrigin", "parentSub",
    ];

    private readonly YjsOracle _oracle = fixture.Oracle;

    [Fact]
    public void Generated_histories_reach_every_struct_kind_content_kind_and_flag()
    {
        var seen = new Dictionary<string, int>();
        var deleteRanges = 0;
        var largeClients = 0;
        // Some kinds are rare (a GC struct needs a deleted type whose content yjs then collects): one batch of 60
        // histories missed GC about once in a few dozen CI runs. Batches continue until everything was seen, up to 5.
        for (var batch = 0; batch < 5 && Required.Any(r => !seen.ContainsKey(r)); batch++)
        {
            PropertyRun.Check(output, nameof(Generated_histories_reach_every_struct_kind_content_kind_and_flag), DifferentialCase.Generator, PropertyRun.Cases(60), c =>
            {
                var corpus = HistoryCorpus.Run(_oracle, c);
                largeClients += corpus.History.Peers.Count(p => p.Client > uint.MaxValue);
                foreach (var pair in corpus.Sample(_oracle, maxTransactions: 20, merges: 3))
                {
                    var description = DifferentialChecker.Await(_oracle.DescribeAsync(pair.V1, v2: false));
                    deleteRanges += description.DeleteRanges;
                    foreach (var s in description.Structs)
                    {
                        foreach (var part in s.Split(' '))
                        {
                            seen[part] = seen.GetValueOrDefault(part) + 1;
                        }
                    }
                }
            });
        }

        output.WriteLine(string.Join(", ", seen.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}")));
        output.WriteLine($"delete ranges: {deleteRanges}; peers with a client id above 2^32: {largeClients}");
        var missing = Required.Where(r => !seen.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "never generated: " + string.Join(", ", missing));
        Assert.True(deleteRanges > 0, "no delete set ever had a range");
        Assert.True(largeClients > 0, "no peer had a client id above 2^32");
    }
}
