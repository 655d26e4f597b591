using System.Text;
using Collab.Crdt.Tests.Oracle;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Collab.Crdt.PropertyTests.Differential;

/// <summary>
/// Runs batches of <see cref="UpdateOp"/>s in Collab and in yjs and demands the same answer. Requests to the oracle
/// are issued together so that Node works while Collab computes. A disagreement is shrunk where that is cheap,
/// saved under <c>tests/Collab.Crdt.Tests/Oracle/repros/</c> and thrown, which fails the FsCheck case and prints the
/// replay seed.
/// </summary>
internal sealed class DifferentialChecker(YjsOracle oracle, ITestOutputHelper output, string name)
{
    private static readonly object CasesFileLock = new();
    private readonly List<string> _deferred = [];
    private long _cases;
    private long _yjsOnly;
    private long _collabOnly;
    private long _yjsTimeouts;

    /// <summary>
    /// With <c>COLLAB_DIFFERENTIAL_KEEP_GOING=1</c>, disagreements are saved and the run continues, failing once at
    /// the end: one known bug then does not hide the others.
    /// </summary>
    public static bool KeepGoing { get; } = Environment.GetEnvironmentVariable("COLLAB_DIFFERENTIAL_KEEP_GOING") is "1" or "true";

    public YjsOracle Oracle { get; } = oracle;

    /// <summary>Comparisons made so far: one per op run on both sides.</summary>
    public long Cases => Interlocked.Read(ref _cases);

    public static T Await<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Calls that only yjs accepted, and calls that only Collab accepted (counted in lenient checks).</summary>
    public (long YjsOnly, long CollabOnly) AcceptanceDifferences => (Interlocked.Read(ref _yjsOnly), Interlocked.Read(ref _collabOnly));

    /// <summary>Calls on which yjs ran out of time (counted as yjs rejecting the input).</summary>
    public long YjsTimeouts => Interlocked.Read(ref _yjsTimeouts);

    /// <summary>
    /// Runs <paramref name="ops"/> on both sides. Strict: the same value, or both reject. Lenient (for damaged input,
    /// which yjs reads more loosely than Collab may): only when both return a value must it be the same; Collab
    /// must never crash.
    /// </summary>
    /// <returns>yjs' answers, in the order of <paramref name="ops"/>.</returns>
    public UpdateOutcome[] CheckAll(IReadOnlyList<UpdateOp> ops, string context, bool lenient = false, TimeSpan? yjsTimeout = null)
    {
        var yjsTasks = new Task<UpdateOutcome>[ops.Count];
        for (var i = 0; i < ops.Count; i++)
        {
            yjsTasks[i] = ops[i].RunYjsAsync(Oracle, yjsTimeout);
        }

        var collab = new UpdateOutcome[ops.Count];
        for (var i = 0; i < ops.Count; i++)
        {
            collab[i] = ops[i].RunCollab();
        }

        Task.WaitAll(yjsTasks);
        Interlocked.Add(ref _cases, ops.Count);
        var answers = yjsTasks.Select(t => t.Result).ToArray();
        foreach (var answer in answers)
        {
            if (answer.Kind == UpdateOutcomeKind.Rejected && answer.Value.StartsWith("yjs threw: timeout", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _yjsTimeouts);
            }
        }

        var failures = new List<Repro>();
        for (var i = 0; i < ops.Count; i++)
        {
            var yjs = answers[i];
            if (lenient && collab[i].Kind != UpdateOutcomeKind.Crashed && collab[i].Kind != yjs.Kind)
            {
                Interlocked.Increment(ref yjs.Kind == UpdateOutcomeKind.Value ? ref _yjsOnly : ref _collabOnly);
                continue;
            }

            if (!collab[i].Agrees(yjs))
            {
                failures.Add(new Repro(ops[i], yjs, collab[i], context));
            }
        }

        if (failures.Count == 0)
        {
            return answers;
        }

        var message = new StringBuilder();
        message.AppendLine($"{failures.Count} of {ops.Count} calls disagree with yjs ({name}).");
        foreach (var group in failures.GroupBy(f => (Op: f.Op.Kind, f.Op.Format, Outcome: f.Collab.Kind)))
        {
            var smallest = Shrink(group.MinBy(f => f.Op.Size)!, yjsTimeout);
            var path = ReproStore.Save(smallest);
            message.AppendLine($"- {group.Count()} × {group.Key.Op} {group.Key.Format} (Collab: {group.Key.Outcome}); smallest, saved as {path}:");
            message.AppendLine($"    call:   {smallest.Op}");
            message.AppendLine($"    yjs:    {smallest.Yjs}");
            message.AppendLine($"    collab: {smallest.Collab}");
        }

        if (KeepGoing)
        {
            lock (_deferred)
            {
                _deferred.Add(message.ToString());
            }

            return answers;
        }

        throw new XunitException(message.ToString());
    }

    /// <summary>Fails with every disagreement that <see cref="KeepGoing"/> let pass.</summary>
    public void ThrowDeferred()
    {
        if (_deferred.Count > 0)
        {
            throw new XunitException($"{_deferred.Count} case(s) disagree with yjs:\n" + string.Join("\n", _deferred));
        }
    }

    /// <summary>
    /// For merges, looks for the fewest inputs that still disagree: each single input, each pair (in the original
    /// order, since yjs' result can depend on it), then dropping inputs one at a time.
    /// </summary>
    private Repro Shrink(Repro repro, TimeSpan? yjsTimeout)
    {
        if (repro.Op.Kind != UpdateOpKind.Merge || repro.Op.Inputs.Count <= 1)
        {
            return repro;
        }

        var inputs = repro.Op.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (TryDisagree(repro, [inputs[i]], yjsTimeout) is { } one)
            {
                return one;
            }
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            for (var j = i + 1; j < inputs.Count; j++)
            {
                if (TryDisagree(repro, [inputs[i], inputs[j]], yjsTimeout) is { } two)
                {
                    return two;
                }
            }
        }

        var current = repro;
        for (var i = current.Op.Inputs.Count - 1; i >= 0 && current.Op.Inputs.Count > 1; i--)
        {
            current = TryDisagree(current, current.Op.Inputs.Where((_, j) => j != i).ToList(), yjsTimeout) ?? current;
        }

        return current;
    }

    private Repro? TryDisagree(Repro repro, List<byte[]> inputs, TimeSpan? yjsTimeout)
    {
        var candidate = repro.Op with { Inputs = inputs };
        var yjs = Await(candidate.RunYjsAsync(Oracle, yjsTimeout));
        var collab = candidate.RunCollab();
        return collab.Agrees(yjs) ? null : new Repro(candidate, yjs, collab, repro.Context);
    }

    /// <summary>Prints <c>differential cases: N</c> and appends N to the file named by <c>COLLAB_CASES_FILE</c>, for CI to sum.</summary>
    public void Report()
    {
        var cases = Cases;
        output.WriteLine($"differential cases: {cases}");
        var file = Environment.GetEnvironmentVariable("COLLAB_CASES_FILE");
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }

        lock (CasesFileLock)
        {
            File.AppendAllText(file, cases.ToString(System.Globalization.CultureInfo.InvariantCulture) + Environment.NewLine);
        }
    }
}
