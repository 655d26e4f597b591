using Collab.Crdt;

namespace Collab.Bench;

/// <summary>
/// The real Yjs updates of <c>shared/traces/yjs-updates</c> (see its SOURCES.md), under the names that
/// bench/yjs/bench.mjs uses too, so bench/run.sh can join the two result sets.
/// </summary>
internal sealed class BenchInputs
{
    public static readonly string[] Names = ["b4-update.v1", "b4-replay.v1", "b4-replay.v2", "S1.v2", "C1.v2"];

    private BenchInputs(string name, string file, UpdateFormat format)
    {
        Name = name;
        Format = format;
        Update = File.ReadAllBytes(Path.Combine(SharedTraces(), "yjs-updates", file));
        var stateVector = StateVector.Decode(Updates.EncodeStateVectorFromUpdate(Update, format));

        // Half of every client's clock: the peer that has seen the first half of the document.
        var half = new Dictionary<ulong, long>(stateVector.Count);
        foreach (var (client, clock) in stateVector)
        {
            half[client] = clock / 2;
        }

        HalfStateVector = StateVector.Encode(half);
        SecondHalf = Updates.Diff(Update, HalfStateVector, format);
        MergeInputs = [Update, SecondHalf];
    }

    public string Name { get; }

    public UpdateFormat Format { get; }

    public UpdateFormat OtherFormat => Format == UpdateFormat.V1 ? UpdateFormat.V2 : UpdateFormat.V1;

    public byte[] Update { get; }

    public byte[] HalfStateVector { get; }

    /// <summary>What a peer at <see cref="HalfStateVector"/> is missing.</summary>
    public byte[] SecondHalf { get; }

    /// <summary>
    /// The merge input: the whole document plus its second half again, as when a server merges a stored
    /// document with a late update that overlaps it. yjs then has to skip the duplicated structs and
    /// merge two overlapping delete sets; with a single input yjs would return it untouched.
    /// </summary>
    public IReadOnlyList<byte[]> MergeInputs { get; }

    public static BenchInputs Load(string name) => name switch
    {
        "b4-update.v1" => new(name, "b4-update.v1.bin", UpdateFormat.V1),
        "b4-replay.v1" => new(name, "b4-replay.yjs13.6.33.client1.v1.bin", UpdateFormat.V1),
        "b4-replay.v2" => new(name, "b4-replay.yjs13.6.33.client1.v2.bin", UpdateFormat.V2),
        "S1.v2" => new(name, "egwalker/S1.v2.yjs", UpdateFormat.V2),
        "C1.v2" => new(name, "egwalker/C1.v2.yjs", UpdateFormat.V2),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown bench input"),
    };

    /// <summary>
    /// <c>shared/traces</c> next to the folder holding Collab.sln. COLLAB_TRACES overrides it with the
    /// <c>yjs-updates</c> folder (as bench/yjs/bench.mjs reads it); the traces are then its sibling.
    /// </summary>
    public static string SharedTraces()
    {
        var overridden = Environment.GetEnvironmentVariable("COLLAB_TRACES");
        if (!string.IsNullOrEmpty(overridden))
        {
            return Path.GetFullPath(Path.Combine(overridden, ".."));
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "traces"));
                }
            }
        }

        throw new InvalidOperationException("Cannot find shared/traces next to Collab.sln: set COLLAB_TRACES to its yjs-updates folder.");
    }
}
