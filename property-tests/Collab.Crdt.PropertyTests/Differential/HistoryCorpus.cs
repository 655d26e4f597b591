using Collab.Crdt.PropertyTests.Generators;
using Collab.Crdt.Tests.Oracle;
using FsCheck;
using FsCheck.Fluent;

namespace Collab.Crdt.PropertyTests.Differential;

/// <summary>One differential case: a history to run in yjs and a seed for the choices made on its updates.</summary>
internal sealed record DifferentialCase(HistoryScript Script, int Seed)
{
    public static Gen<DifferentialCase> Generator { get; } =
        from script in HistoryGen.Script
        from seed in Gen.Choose(0, int.MaxValue)
        select new DifferentialCase(script, seed);

    public override string ToString() => $"seed {Seed}, script {Script}";
}

/// <summary>An update in both encodings, as yjs produced it.</summary>
internal sealed record UpdatePair(byte[] V1, byte[] V2, string Origin)
{
    public byte[] In(UpdateFormat format) => format == UpdateFormat.V1 ? V1 : V2;
}

/// <summary>
/// The updates of one yjs history (every transaction's update and every peer's final state, in v1 and v2) and
/// helpers that pick inputs from them with the case's seeded <see cref="System.Random"/>.
/// </summary>
internal sealed class HistoryCorpus
{
    // yjs 13.6.33: encodeStateAsUpdate(new Y.Doc()) and encodeStateAsUpdateV2(new Y.Doc()).
    public static readonly UpdatePair Empty = new([0, 0], System.Convert.FromBase64String("AAAAAAAAAQAAAAAAAA=="), "empty");

    private HistoryCorpus(OracleHistory history, System.Random random)
    {
        History = history;
        Random = random;
        Transactions = history.Updates.Select((u, i) => new UpdatePair(u.V1, u.V2, $"update {i} (peer {u.Peer}, step {u.Step})")).ToList();
        States = history.Peers.Select((p, i) => new UpdatePair(p.StateV1, p.StateV2, $"state of peer {i}")).ToList();
    }

    public OracleHistory History { get; }

    public System.Random Random { get; }

    public IReadOnlyList<UpdatePair> Transactions { get; }

    public IReadOnlyList<UpdatePair> States { get; }

    public static HistoryCorpus Run(YjsOracle oracle, DifferentialCase c)
        => new(DifferentialChecker.Await(oracle.RunHistoryAsync(c.Script.Json)), new System.Random(c.Seed));

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    /// <summary>1–<paramref name="max"/> transaction updates, drawn with replacement (so with duplicates) in random order.</summary>
    public List<UpdatePair> RandomTransactions(int max)
    {
        var n = 1 + Random.Next(max);
        var picked = new List<UpdatePair>(n);
        for (var i = 0; i < n; i++)
        {
            picked.Add(Pick(Transactions));
        }

        return picked;
    }

    /// <summary>yjs merges of random transaction subsets: updates with gaps (Skip structs) and sliced structs.</summary>
    public List<UpdatePair> Merged(YjsOracle oracle, int count)
    {
        var result = new List<UpdatePair>();
        if (Transactions.Count == 0)
        {
            return result;
        }

        for (var i = 0; i < count; i++)
        {
            var parts = RandomTransactions(6);
            var v1 = oracle.MergeAsync(parts.Select(p => p.V1).ToList(), v2: false);
            var v2 = oracle.MergeAsync(parts.Select(p => p.V2).ToList(), v2: true);
            result.Add(new UpdatePair(DifferentialChecker.Await(v1), DifferentialChecker.Await(v2), $"yjs merge of {parts.Count} updates"));
        }

        return result;
    }

    /// <summary>Up to <paramref name="maxTransactions"/> random transaction updates, all final states and <paramref name="merges"/> yjs merges.</summary>
    public List<UpdatePair> Sample(YjsOracle oracle, int maxTransactions, int merges)
    {
        var sample = Transactions.OrderBy(_ => Random.Next()).Take(maxTransactions).ToList();
        sample.AddRange(States);
        sample.AddRange(Merged(oracle, merges));
        if (Random.Next(4) == 0)
        {
            sample.Add(Empty);
        }

        return sample;
    }

    /// <summary>
    /// A state vector that need not match anything: clients of the history and strangers, clocks around the real
    /// ones and far beyond, in any order, sometimes with a client twice.
    /// </summary>
    public byte[] ArbitraryStateVector()
    {
        var clients = History.Peers.Select(p => p.Client).ToList();
        clients.Add((ulong)Random.NextInt64(0, 1L << 53));
        clients.Add((1UL << 53) - 1);
        var n = Random.Next(0, 5);
        var pairs = new List<(ulong Client, ulong Clock)>();
        for (var i = 0; i < n; i++)
        {
            var clock = Random.Next(8) switch
            {
                0 => 0UL,
                1 => (1UL << 53) - 1,
                _ => (ulong)Random.Next(0, 60),
            };
            pairs.Add((Pick(clients), clock));
        }

        var bytes = new List<byte>();
        WriteVarUint(bytes, (ulong)pairs.Count);
        foreach (var (client, clock) in pairs)
        {
            WriteVarUint(bytes, client);
            WriteVarUint(bytes, clock);
        }

        return bytes.ToArray();
    }

    private static void WriteVarUint(List<byte> bytes, ulong value)
    {
        while (value > 0x7f)
        {
            bytes.Add((byte)(0x80 | (value & 0x7f)));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
