using Collab.Crdt.PropertyTests.Differential;
using Collab.Crdt.PropertyTests.Generators;
using Collab.Crdt.Tests;
using Collab.Crdt.Tests.Oracle;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Collab.Crdt.PropertyTests.Fuzz;

/// <summary>
/// Untrusted bytes against every decoder: each call returns or throws <see cref="YjsFormatException"/>, quickly.
/// </summary>
/// <remarks>
/// Outside the oracle collection on purpose: these tests barely use Node, so they run beside the differential ones.
/// </remarks>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private readonly YjsOracle _oracle = YjsOracle.Shared;

    // The counters are shared by the tests of this class, which xunit runs one after another.
    private void Fuzz(Action run)
    {
        var (accepted, rejected) = (DecoderHarness.Accepted, DecoderHarness.Rejected);
        try
        {
            run();
        }
        finally
        {
            output.WriteLine($"decoder calls: {DecoderHarness.Accepted - accepted} returned a value, {DecoderHarness.Rejected - rejected} rejected");
        }
    }

    [Fact]
    public void Random_bytes_are_decoded_or_rejected_with_YjsFormatException()
    {
        Fuzz(() => PropertyRun.Check(output, nameof(Random_bytes_are_decoded_or_rejected_with_YjsFormatException), Mutator.RandomBytes, PropertyRun.Cases(40000),
            bytes => DecoderHarness.Check(bytes, "random bytes")));
    }

    [Fact]
    public void Mutated_updates_of_yjs_histories_are_decoded_or_rejected_with_YjsFormatException()
    {
        var gen =
            from script in HistoryGen.Script
            from seeds in Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 8)
            select (script, seeds);
        Fuzz(() => PropertyRun.Check(output, nameof(Mutated_updates_of_yjs_histories_are_decoded_or_rejected_with_YjsFormatException), gen, PropertyRun.Cases(800),
            c =>
            {
                var history = DifferentialChecker.Await(_oracle.RunHistoryAsync(c.script.Json));
                var pool = history.Updates.SelectMany(u => new[] { u.V1, u.V2 })
                    .Concat(history.Peers.SelectMany(p => new[] { p.StateV1, p.StateV2, p.StateVector }))
                    .ToList();
                foreach (var seed in c.seeds)
                {
                    var random = new System.Random(seed);
                    var input = pool[random.Next(pool.Count)];
                    var other = pool[random.Next(pool.Count)];
                    DecoderHarness.Check(Mutator.Mutate(input, other, seed), $"mutated yjs update, mutation seed {seed}, script {c.script}");
                }
            }));
    }

    [Fact]
    public void Mutated_trace_files_are_decoded_or_rejected_with_YjsFormatException()
    {
        var files = TraceFiles();
        output.WriteLine($"traces: {string.Join(", ", files.Select(f => $"{Path.GetFileName(f.Path)} ({f.Bytes.Length} bytes)"))}");
        var gen =
            from index in Gen.Choose(0, files.Count - 1)
            from seed in Gen.Choose(0, int.MaxValue)
            select (index, seed);
        Fuzz(() => PropertyRun.Check(output, nameof(Mutated_trace_files_are_decoded_or_rejected_with_YjsFormatException), gen, PropertyRun.Cases(60),
            c =>
            {
                var (path, bytes) = files[c.index];
                var mutated = Mutator.Mutate(bytes, files[(c.index + 1) % files.Count].Bytes, c.seed);
                DecoderHarness.Check(mutated, $"{Path.GetFileName(path)} mutated with seed {c.seed}");
            }));
    }

    [Fact]
    public void Unmutated_trace_files_are_decoded_or_rejected_with_YjsFormatException()
    {
        Fuzz(() =>
        {
            foreach (var (path, bytes) in TraceFiles())
            {
                DecoderHarness.Check(bytes, Path.GetFileName(path));
            }
        });
    }

    [Fact]
    public void Deeply_nested_values_are_rejected_without_exhausting_the_stack()
    {
        Fuzz(() =>
        {
            foreach (var depth in new[] { 127, 128, 129, 1_000, 100_000 })
            {
                foreach (var (name, input) in CraftedInputs.DeeplyNested(depth))
                {
                    DecoderHarness.Check(input, $"{name}, depth {depth}");
                }
            }
        });
    }

    [Fact]
    public void Huge_counts_and_lengths_are_rejected_without_allocating_them()
    {
        Fuzz(() =>
        {
            foreach (var (name, input) in CraftedInputs.HugeCounts())
            {
                DecoderHarness.Check(input, name);
            }
        });
    }

    [Fact]
    public void Saved_fuzz_failures_are_now_decoded_or_rejected_with_YjsFormatException()
    {
        foreach (var (path, input) in DecoderHarness.Saved())
        {
            DecoderHarness.Check(input, Path.GetFileName(path));
        }
    }

    // Every file of the shared yjs-updates folder. b4-editing-trace.bin is an op list, not an update: still good
    // hostile input.
    private static List<(string Path, byte[] Bytes)> TraceFiles()
    {
        var dir = TestPaths.YjsUpdates;
        return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bin", StringComparison.Ordinal) || f.EndsWith(".yjs", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllBytes(f)))
            .ToList();
    }
}
