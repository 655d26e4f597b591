using BenchmarkDotNet.Attributes;
using Collab.Crdt;

namespace Collab.Bench;

/// <summary>
/// The update algebra on real documents. Each method mirrors one yjs call timed by bench/yjs/bench.mjs:
/// decode = Y.decodeUpdate(V2); decode+encode = Y.diffUpdate(V2) against the empty state vector (yjs'
/// decode-then-lazy-write; yjs exports no encoder for decoded structs); merge = Y.mergeUpdates(V2);
/// diff = Y.diffUpdate(V2) against half the state vector; convert = Y.convertUpdateFormat*; sv =
/// Y.encodeStateVectorFromUpdate(V2).
/// </summary>
public class UpdateBenchmarks
{
    private BenchInputs _inputs = null!;

    [ParamsSource(nameof(Inputs))]
    public string Input { get; set; } = "";

    public static IEnumerable<string> Inputs => BenchInputs.Names;

    [GlobalSetup]
    public void Setup() => _inputs = BenchInputs.Load(Input);

    [Benchmark]
    public DecodedUpdate Decode() => Updates.Decode(_inputs.Update, _inputs.Format);

    [Benchmark]
    public byte[] DecodeEncode() => Updates.Encode(Updates.Decode(_inputs.Update, _inputs.Format), _inputs.Format);

    [Benchmark]
    public byte[] Merge() => Updates.Merge(_inputs.MergeInputs, _inputs.Format);

    [Benchmark]
    public byte[] Diff() => Updates.Diff(_inputs.Update, _inputs.HalfStateVector, _inputs.Format);

    [Benchmark]
    public byte[] Convert() => Updates.Convert(_inputs.Update, _inputs.Format, _inputs.OtherFormat);

    [Benchmark]
    public byte[] StateVector() => Updates.EncodeStateVectorFromUpdate(_inputs.Update, _inputs.Format);
}
