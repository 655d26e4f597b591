using Collab.Crdt.PropertyTests.Fuzz;
using Collab.Crdt.PropertyTests.Generators;
using Collab.Crdt.Tests.Oracle;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Collab.Crdt.PropertyTests.Differential;

/// <summary>
/// Damaged yjs updates against yjs: Collab may reject what yjs reads loosely, but where both return a value it must
/// be the same value; a decoder that silently reads garbage differently from yjs would split documents.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class DamagedUpdateDifferentialTests(YjsOracleFixture fixture, ITestOutputHelper output)
{
    private static readonly UpdateFormat[] Formats = [UpdateFormat.V1, UpdateFormat.V2];

    private readonly YjsOracle _oracle = fixture.Oracle;

    [Fact]
    public void Damaged_updates_that_both_accept_give_the_same_answer_in_yjs_and_Collab()
    {
        const string name = nameof(Damaged_updates_that_both_accept_give_the_same_answer_in_yjs_and_Collab);
        var checker = new DifferentialChecker(_oracle, output, name);
        var gen =
            from c in DifferentialCase.Generator
            from seeds in Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 4)
            select (c, seeds);
        try
        {
            PropertyRun.Check(output, name, gen, PropertyRun.Cases(500), x =>
            {
                var corpus = HistoryCorpus.Run(_oracle, x.c);
                var pool = corpus.Transactions.Concat(corpus.States).ToList();
                var ops = new List<UpdateOp>();
                foreach (var seed in x.seeds)
                {
                    var random = new System.Random(seed);
                    var original = pool[random.Next(pool.Count)];
                    var other = pool[random.Next(pool.Count)];
                    var sv = corpus.History.Peers[random.Next(corpus.History.Peers.Count)].StateVector;
                    foreach (var format in Formats)
                    {
                        var damaged = Mutator.Mutate(original.In(format), other.In(format), seed);
                        ops.Add(new UpdateOp(UpdateOpKind.StateVectorFromUpdate, format, [damaged]));
                        ops.Add(new UpdateOp(UpdateOpKind.Meta, format, [damaged]));
                        ops.Add(new UpdateOp(UpdateOpKind.Convert, format, [damaged]));
                        ops.Add(new UpdateOp(UpdateOpKind.RoundTrip, format, [damaged]));
                        ops.Add(new UpdateOp(UpdateOpKind.Diff, format, [damaged], sv));
                        ops.Add(new UpdateOp(UpdateOpKind.Merge, format, [damaged, other.In(format)]));
                    }
                }

                // yjs can spin on a damaged update (see oracle.mjs); a timeout counts as yjs rejecting it.
                checker.CheckAll(ops, $"{name} {x.c}, mutation seeds [{string.Join(", ", x.seeds)}]", lenient: true, yjsTimeout: TimeSpan.FromSeconds(1.5));
            });
            checker.ThrowDeferred();
        }
        finally
        {
            var (yjsOnly, collabOnly) = checker.AcceptanceDifferences;
            output.WriteLine($"accepted by yjs only: {yjsOnly}; by Collab only: {collabOnly} (not failures); yjs timed out {checker.YjsTimeouts} times");
            checker.Report();
        }
    }
}
