using System.Text.Json;
using Collab.Server.Tests.Infrastructure;
using Collab.Storage;
using Collab.Sync;

namespace Collab.Server.Tests.Documents;

/// <summary>
/// Regression: one update of 30,000 nested maps plus a delete of the outermost (235 KB) overflowed the stack, which
/// ended the process, and did so again whenever the stored document was loaded. MaxTypeNesting now refuses such an
/// update, so these tests lift it to reach what an old store (or a chain built over many updates) can hold: applying,
/// deleting, collecting, loading and compacting must not recurse, and rendering refuses with a typed answer.
/// </summary>
public sealed class DeepNestingTests
{
    private const int Levels = 30_000;

    private static readonly Dictionary<string, string?> Unlimited = new()
    {
        ["Collab:Limits:MaxTypeNesting"] = "1000000",
        ["Collab:Documents:CompactionLogEntries"] = "2",
    };

    [Fact]
    public async Task A_deep_chain_deleted_in_its_own_update_is_stored_relayed_compacted_and_loads_after_a_restart()
    {
        var store = new TestStore();
        var update = TestUpdates.NestedMaps(3, Levels, deleteTop: true);
        await using (var server = await TestServer.StartAsync(Unlimited, store))
        {
            await using var other = await RawClient.ConnectAndSyncAsync(server.DocumentUri("deep/deleted"));
            await using var writer = await RawClient.ConnectAndSyncAsync(server.DocumentUri("deep/deleted"));
            await writer.SendAsync(TestUpdates.UpdateFrame(update));
            await other.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
            await writer.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(4, 0, "after")));
            await other.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
            await WaitUntilAsync(() => store.Compactions.Count >= 1, "a compaction");
        }

        // the compacted snapshot is garbage-collected: the chain is gone, the text stays
        var stored = await store.PeekAsync(new DocumentKey("deep", "deleted"));
        Assert.True(stored!.Snapshot!.Length < update.Length / 10, $"snapshot of {stored.Snapshot.Length} bytes");

        await using var restarted = await TestServer.StartAsync(Unlimited, store);
        await using var reader = await RawClient.ConnectAndSyncAsync(restarted.DocumentUri("deep/deleted"));
        using var api = new ApiClient(restarted.HttpUrl);
        var content = JsonDocument.Parse(await api.ContentAsync("deep", "deleted", "root:map,t:text")).RootElement;
        Assert.Equal("{}", content.GetProperty("root").GetRawText());
        Assert.Equal("after", content.GetProperty("t").GetString());
    }

    [Fact]
    public async Task A_deep_chain_loads_and_is_served_but_its_content_is_refused_with_422()
    {
        var store = new TestStore();
        var update = TestUpdates.NestedMaps(3, Levels);
        await using (var server = await TestServer.StartAsync(Unlimited, store))
        {
            await using var writer = await RawClient.ConnectAndSyncAsync(server.DocumentUri("deep/kept"));
            await writer.SendAsync(TestUpdates.UpdateFrame(update));
            await writer.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        }

        await using var restarted = await TestServer.StartAsync(Unlimited, store);
        await using var reader = await RawClient.ConnectAndSyncAsync(restarted.DocumentUri("deep/kept"));
        await reader.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var step2 = await reader.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.True(step2.Payload.Length >= update.Length / 2);

        using var api = new ApiClient(restarted.HttpUrl);
        await ApiClient.ProblemAsync(await api.GetAsync(ApiClient.DocPath("deep", "kept")), 422, "too deeply");
        // the binary state is still there for whoever can read it
        var binary = await api.GetAsync(ApiClient.DocPath("deep", "kept") + "/update");
        Assert.Equal(System.Net.HttpStatusCode.OK, binary.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
