using Collab.Crdt;
using Collab.Server.Connections;
using Collab.Server.Tests.Infrastructure;
using Collab.Storage;
using Collab.Sync;

namespace Collab.Server.Tests;

/// <summary>Durable before broadcast, group commit, compaction, failed loads, idle unload and graceful shutdown.</summary>
public sealed class PersistenceTests
{
    private static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for " + what);
            }

            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task An_update_is_broadcast_only_after_storage_has_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/durable"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/durable"));
        server.Store.HoldAppends();
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "x")));
        await WaitUntilAsync(() => server.Store.PendingAppends == 1, "the append to start");
        Assert.True(await b.IsQuietAsync(TimeSpan.FromMilliseconds(300)));
        Assert.True(await a.IsQuietAsync(TimeSpan.FromMilliseconds(50)));

        // a newcomer's step 2 does not include what is not durable yet
        await using var c = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/durable"));
        await c.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var step2 = await c.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.Equal(new byte[] { 0, 0 }, step2.Payload.ToArray());

        server.Store.ReleaseAppends();
        await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        await a.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
    }

    [Fact]
    public async Task Up_to_four_appends_run_at_once_and_updates_past_that_go_together_in_the_next_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/group"));
        server.Store.HoldAppends();
        var updates = new List<byte[]>();
        for (ulong i = 0; i < 8; i++)
        {
            updates.Add(TestUpdates.TextAppend(1, i, i == 0 ? "a" : "b"));
            await a.SendAsync(TestUpdates.UpdateFrame(updates[^1]));
            if (i < 4)
            {
                // the next append starts while the earlier ones are still in flight
                await WaitUntilAsync(() => server.Store.PendingAppends == (int)i + 1, $"append {i + 1} to start");
            }
        }

        await WaitUntilAsync(() => server.Registry.Find(new("d", "group"))?.QueuedUpdates == 4, "the host to queue the rest behind the four in flight");
        Assert.True(await a.IsQuietAsync(TimeSpan.FromMilliseconds(200))); // nothing goes out before it is durable
        server.Store.ReleaseAppends();

        var doc = new Doc();
        while (doc.GetText("t").ToString().Length < 8)
        {
            doc.ApplyUpdate((await a.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update)).Payload.ToArray());
        }

        Assert.Equal("abbbbbbb", doc.GetText("t").ToString());
        Assert.Equal([1, 1, 1, 1, 4], server.Store.AppendBatchSizes.ToArray());
        var stored = await server.Store.PeekAsync(new("d", "group"));
        Assert.Equal(updates, stored!.Log.Select(e => e.Payload).ToArray());
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), stored.Log.Select(e => e.Seq));
    }

    [Fact]
    public async Task Appends_whose_results_come_back_out_of_order_are_applied_and_broadcast_in_the_order_they_were_made()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:CompactionLogEntries"] = "4" });
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/order"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/order"));
        server.Store.HoldAppends();
        var updates = new List<byte[]>();
        for (ulong i = 0; i < 4; i++)
        {
            updates.Add(TestUpdates.TextAppend(1, i, "abcd"[(int)i].ToString()));
            await a.SendAsync(TestUpdates.UpdateFrame(updates[^1]));
            await WaitUntilAsync(() => server.Store.PendingAppends == (int)i + 1, $"append {i + 1} to start");
        }

        // stored in order (seqs 1..4), but the first append's result comes back last: until then nothing may be
        // applied or broadcast, and then all four go out together
        server.Store.ReleaseAppendsLastFirst(4, TimeSpan.FromMilliseconds(100));
        var message = await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(Updates.Merge(updates), message.Payload.ToArray());
        Assert.True(await b.IsQuietAsync(TimeSpan.FromMilliseconds(200)));

        // and the host's version stayed in step: the compaction the fourth entry starts covers all four
        await WaitUntilAsync(() => !server.Store.Compactions.IsEmpty, "a compaction");
        Assert.Equal([4L], server.Store.Compactions.ToArray());
    }

    [Fact]
    public async Task A_failed_append_closes_the_connections_without_broadcasting_and_the_document_reloads_afterwards()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/appendfail"));
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "kept")));
        await a.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/appendfail"));

        server.Store.FailAppends = true;
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 4, "lost")));
        var (code, reason) = await b.ExpectCloseAsync();
        Assert.Equal(CloseCodes.DocumentUnavailable, code);
        Assert.Contains("reconnect", reason);
        Assert.Equal(CloseCodes.DocumentUnavailable, (await a.ExpectCloseAsync()).Code);
        Assert.True(server.Logs.Contains(23));

        server.Store.FailAppends = false;
        await using var c = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/appendfail"));
        await c.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var step2 = await c.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.Equal(TestUpdates.TextAppend(1, 0, "kept"), step2.Payload.ToArray());
    }

    [Fact]
    public async Task One_compaction_runs_at_a_time_and_a_document_waiting_for_its_turn_keeps_appending()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:CompactionLogEntries"] = "2" });
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/first"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/second"));
        server.Store.HoldCompactions();
        for (ulong i = 0; i < 2; i++)
        {
            await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, i, "a")));
        }

        await WaitUntilAsync(() => server.Store.PendingCompactions == 1, "the first document's compaction to start");

        // the second document passes its threshold too, finds no free slot, and goes on storing and relaying updates
        for (ulong i = 0; i < 3; i++)
        {
            var update = TestUpdates.TextAppend(2, i, "b");
            await b.SendAsync(TestUpdates.UpdateFrame(update));
            Assert.Equal(update, (await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update)).Payload.ToArray());
        }

        Assert.Equal(1, server.Store.PendingCompactions);
        Assert.Equal(3, (await server.Store.PeekAsync(new("d", "second")))!.Log.Count);

        // once the first finishes, the second compacts (at its next update, or its next tick)
        server.Store.ReleaseCompactions();
        await b.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(2, 3, "b")));
        await WaitUntilAsync(() => server.Store.Compactions.Count == 2 && server.Store.PendingCompactions == 0, "the second compaction");
        var upTo = server.Store.Compactions.ToArray();
        Assert.Equal(2L, upTo[0]);
        Assert.InRange(upTo[1], 3L, 4L); // its tick may come before the fourth update
        Assert.Equal(4 - upTo[1], (await server.Store.PeekAsync(new("d", "second")))!.Log.Count);
    }

    [Fact]
    public async Task A_compacting_document_keeps_storing_and_relaying_updates_and_counts_them_toward_its_next_compaction()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:CompactionLogEntries"] = "3" });
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/busy"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/busy"));
        server.Store.HoldCompactions();
        for (ulong i = 0; i < 3; i++)
        {
            await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, i, "a")));
            await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        }

        await WaitUntilAsync(() => server.Store.PendingCompactions == 1, "the compaction to start");

        // while it runs, updates are stored and relayed as usual
        for (ulong i = 3; i < 5; i++)
        {
            var update = TestUpdates.TextAppend(1, i, "b");
            await a.SendAsync(TestUpdates.UpdateFrame(update));
            Assert.Equal(update, (await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update)).Payload.ToArray());
        }

        Assert.Equal(5, (await server.Store.PeekAsync(new("d", "busy")))!.Log.Count);

        // it covers the three it started with; the two that came meanwhile count toward the next, which a third starts
        server.Store.ReleaseCompactions();
        await WaitUntilAsync(() => server.Store.Compactions.Count == 1 && server.Store.PendingCompactions == 0, "the compaction to finish");
        Assert.Equal(2, (await server.Store.PeekAsync(new("d", "busy")))!.Log.Count);
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 5, "c")));
        await WaitUntilAsync(() => server.Store.Compactions.Count == 2, "the next compaction");
        Assert.Equal([3L, 6L], server.Store.Compactions.ToArray());
        Assert.Empty((await server.Store.PeekAsync(new("d", "busy")))!.Log);
    }

    [Fact]
    public async Task A_failed_load_closes_the_connection_with_a_reason_and_never_serves_an_empty_document()
    {
        var store = new TestStore();
        var key = new DocumentKey("d", "loadfail");
        await store.AppendAsync(key, [new UpdateRecord(TestUpdates.TextAppend(1, 0, "precious"), null, DateTimeOffset.UtcNow)]);
        await using var server = await TestServer.StartAsync(store: store);
        store.FailLoads = true;

        await using var a = await RawClient.ConnectAsync(server.DocumentUri("d/loadfail"));
        var (code, reason) = await a.ExpectCloseAsync();
        Assert.Equal(CloseCodes.DocumentUnavailable, code);
        Assert.Contains("could not be loaded", reason);
        Assert.True(server.Logs.Contains(21));
        Assert.Single((await store.PeekAsync(key))!.Log);

        store.FailLoads = false;
        await using var b = await RawClient.ConnectAsync(server.DocumentUri("d/loadfail"));
        var step1 = ProtocolMessage.Decode(await b.ReceiveAsync());
        Assert.NotEqual(new byte[] { 0 }, step1.Payload.ToArray());
        await b.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var step2 = await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.Equal(TestUpdates.TextAppend(1, 0, "precious"), step2.Payload.ToArray());
    }

    [Fact]
    public async Task The_log_is_compacted_into_a_snapshot_past_the_threshold_and_the_document_survives_a_restart()
    {
        var store = new TestStore();
        var key = new DocumentKey("d", "compact");
        byte[] expected;
        await using (var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:CompactionLogEntries"] = "5" }, store))
        {
            await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/compact"));
            var updates = new List<byte[]>();
            for (ulong i = 0; i < 12; i++)
            {
                var update = TestUpdates.TextAppend(1, i, "x");
                updates.Add(update);
                await a.SendAsync(TestUpdates.UpdateFrame(update));
                await a.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
            }

            // the server holds a live document: what a Y.Doc holding these updates encodes
            var reference = new Crdt.Doc();
            updates.ForEach(u => reference.ApplyUpdate(u));
            expected = reference.EncodeStateAsUpdate();
            await WaitUntilAsync(() => store.Compactions.Count >= 2, "two compactions");
            var stored = await store.PeekAsync(key);
            Assert.NotNull(stored!.Snapshot);
            Assert.True(stored.Log.Count < 12);
            Assert.True(server.Logs.Contains(24));
        }

        await using var restarted = await TestServer.StartAsync(store: store);
        await using var b = await RawClient.ConnectAndSyncAsync(restarted.DocumentUri("d/compact"));
        await b.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var step2 = await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.Equal(expected, step2.Payload.ToArray());
    }

    [Fact]
    public async Task A_document_unloads_after_the_idle_delay_and_loads_again_from_storage()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:IdleUnloadDelay"] = "00:00:00.200" });
        var key = new DocumentKey("d", "idle");
        await using (var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/idle")))
        {
            await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "persisted")));
            await a.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
            Assert.NotNull(server.Registry.Find(key));
        }

        await WaitUntilAsync(() => server.Registry.Find(key) is null, "the document to unload");
        Assert.True(server.Logs.Contains(22));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/idle"));
        await b.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var step2 = await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.Equal(TestUpdates.TextAppend(1, 0, "persisted"), step2.Payload.ToArray());
        Assert.Equal(2, server.Store.Loads);
    }

    [Fact]
    public async Task A_document_stays_loaded_while_connections_come_and_go_within_the_idle_delay()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:IdleUnloadDelay"] = "00:00:05" });
        for (int i = 0; i < 5; i++)
        {
            await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/busy"));
        }

        Assert.Equal(1, server.Store.Loads);
    }

    [Fact]
    public async Task Graceful_shutdown_flushes_updates_still_in_flight()
    {
        var store = new TestStore();
        var server = await TestServer.StartAsync(store: store);
        var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/shutdown"));
        store.HoldAppends();
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "a")));
        await WaitUntilAsync(() => store.PendingAppends == 1, "the append");
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 1, "b")));
        await WaitUntilAsync(() => store.PendingAppends == 2, "the second append, behind the first");
        var stopping = server.DisposeAsync().AsTask();
        await Task.Delay(200);
        store.ReleaseAppends();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        var (code, _) = await a.ExpectCloseAsync();
        Assert.Equal(CloseCodes.GoingAway, code);
        await a.DisposeAsync();
        var stored = await store.PeekAsync(new DocumentKey("d", "shutdown"));
        Assert.Equal(2, stored!.Log.Count);
    }
}
