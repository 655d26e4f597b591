namespace Collab.Crdt.Tests.Document;

public sealed class TraceReplayTests
{
    private static string TracePath(string name) => Path.Combine(TestPaths.Shared, "traces", "sequential", name + ".json.gz");

    public static TheoryData<string> Traces => new()
    {
        "automerge-paper", "seph-blog1", "rustcode", "sveltecomponent", "friendsforever_flat", "clownschool_flat",
        "json-crdt-patch", "json-crdt-blog-post",
    };

    [Theory]
    [MemberData(nameof(Traces))]
    public void Every_sequential_trace_replays_to_its_end_content(string name)
    {
        var trace = EditingTrace.Load(TracePath(name));
        var doc = trace.Replay(1);
        Assert.Equal(trace.EndContent, doc.GetText("text").ToString());
    }

    [Fact]
    public void Automerge_paper_with_client_1_encodes_byte_identically_to_yjs()
    {
        var trace = EditingTrace.Load(TracePath("automerge-paper"));
        long updateBytes = 0;
        var doc = trace.Replay(1, u => updateBytes += u.Length);
        Assert.Equal(TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v1.bin"), doc.EncodeStateAsUpdate());
        Assert.Equal(TestPaths.ReadUpdate("b4-replay.yjs13.6.33.client1.v2.bin"), doc.EncodeStateAsUpdate(format: UpdateFormat.V2));
        Assert.True(updateBytes > 0);
    }
}
