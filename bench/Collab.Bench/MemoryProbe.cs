using Collab.Cli.Trace;
using System.Globalization;

namespace Collab.Bench;

/// <summary>
/// <c>Collab.Bench --memory</c>: the managed heap a loaded B4 document holds, as one JSON line. The
/// difference of <c>GC.GetTotalMemory(true)</c> before and after building the document while it is still
/// referenced (the median of five); the trace is loaded and one replay done (JIT, static caches) before the first reading.
/// bench/yjs/doc.mjs measures yjs' heap the same way with <c>gc()</c> and <c>heapUsed</c>.
/// </summary>
internal static class MemoryProbe
{
    public static void Run(TextWriter output)
    {
        var trace = EditingTrace.Load(Path.Combine(BenchInputs.SharedTraces(), "sequential", "automerge-paper.json.gz"));
        GC.KeepAlive(DocBenchmarks.ReplayB4(trace));

        // Each document stays referenced to the end, as in doc.mjs.
        var samples = new long[5];
        var docs = new List<Collab.Crdt.Doc>(samples.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            docs.Add(DocBenchmarks.ReplayB4(trace));
            samples[i] = GC.GetTotalMemory(forceFullCollection: true) - before;
        }

        bool ok = true;
        foreach (var doc in docs)
        {
            ok &= doc.GetText("text").ToString() == trace.EndContent;
        }

        Array.Sort(samples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"b4HeldBytes\":{samples[2]},\"samples\":[{string.Join(',', samples)}],\"ok\":{(ok ? "true" : "false")},\"runtime\":\"{Environment.Version}\"}}"));
    }
}
