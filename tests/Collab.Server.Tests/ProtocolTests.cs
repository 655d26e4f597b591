using Collab.Crdt;
using Collab.Server.Tests.Infrastructure;
using Collab.Sync;

namespace Collab.Server.Tests;

/// <summary>The y-websocket protocol byte by byte, with bare WebSockets.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Server_sends_sync_step_1_with_its_state_vector_on_connect()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server.DocumentUri("p/step1"));
        var first = ProtocolMessage.Decode(await client.ReceiveAsync());
        Assert.Equal(MessageType.Sync, first.Type);
        Assert.Equal(SyncMessageType.Step1, first.SyncType);
        Assert.Equal(new byte[] { 0 }, first.Payload.ToArray()); // an empty document
    }

    [Fact]
    public async Task Sync_step_1_is_answered_with_the_missing_part_of_the_document_as_step_2()
    {
        await using var server = await TestServer.StartAsync();
        await using var writer = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/step2"));
        var u1 = TestUpdates.TextAppend(7, 0, "ab");
        var u2 = TestUpdates.TextAppend(7, 2, "cd");
        await writer.SendAsync(TestUpdates.UpdateFrame(u1));
        await writer.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        await writer.SendAsync(TestUpdates.UpdateFrame(u2));
        await writer.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);

        await using var reader = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/step2"));
        // a peer that has u1 (state vector {7: 2}) receives only u2
        await reader.SendAsync(SyncMessages.EncodeSyncStep1(Updates.EncodeStateVectorFromUpdate(u1)));
        var step2 = await reader.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        Assert.Equal(u2, step2.Payload.ToArray());

        await reader.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        var all = await reader.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        var reference = new Doc();
        reference.ApplyUpdate(u1);
        reference.ApplyUpdate(u2);
        Assert.Equal(reference.EncodeStateAsUpdate(), all.Payload.ToArray());
    }

    [Fact]
    public async Task An_update_is_echoed_to_every_connection_including_the_sender()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/echo"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/echo"));
        var frame = TestUpdates.UpdateFrame(TestUpdates.TextAppend(9, 0, "x"));
        await a.SendAsync(frame);
        var echo = await a.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(TestUpdates.TextAppend(9, 0, "x"), echo.Payload.ToArray());
        var atB = await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(TestUpdates.TextAppend(9, 0, "x"), atB.Payload.ToArray());
    }

    [Fact]
    public async Task Updates_made_durable_by_one_flush_go_out_as_one_merged_update_and_FlushInterval_spaces_the_flushes()
    {
        // an interval long enough that "at once" and "held for the interval" stay apart on a loaded machine: with 400 ms
        // and a 300 ms bound, a CI run (2026-12-07) saw the first update take longer than 300 ms
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:FlushInterval"] = "00:00:03" });
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/merged"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/merged"));
        var u1 = TestUpdates.TextAppend(5, 0, "a");
        var u2 = TestUpdates.TextAppend(5, 1, "b");
        var u3 = TestUpdates.TextAppend(6, 0, "c");

        // the first update of a quiet document goes out at once, as it came
        await a.SendAsync(TestUpdates.UpdateFrame(u1));
        var first = await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update, TimeSpan.FromSeconds(2));
        Assert.Equal(u1, first.Payload.ToArray());

        // the next two arrive within the interval: one append, and one message carrying both, to everyone
        await a.SendAsync(TestUpdates.UpdateFrame(u2));
        await a.SendAsync(TestUpdates.UpdateFrame(u3));
        var expected = Updates.Merge([u2, u3]);
        foreach (var peer in new[] { a, b })
        {
            var merged = await peer.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update && !m.Payload.Span.SequenceEqual(u1));
            Assert.Equal(expected, merged.Payload.ToArray());
        }

        Assert.True(await b.IsQuietAsync(TimeSpan.FromMilliseconds(200)));
        var stored = (await server.Store.PeekAsync(new("p", "merged")))!.Log;
        Assert.Equal([u1, u2, u3], stored.Select(e => e.Payload).ToArray()); // the log keeps each update and its origin
        var doc = new Doc();
        doc.ApplyUpdate(expected);
        doc.ApplyUpdate(u1);
        Assert.Equal("abc", doc.GetText("t").ToString());
    }

    [Fact]
    public async Task A_step_2_from_a_client_is_stored_and_relayed_as_an_update()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/step2relay"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/step2relay"));
        var update = TestUpdates.TextAppend(11, 0, "from step 2");
        await a.SendAsync(SyncMessages.EncodeSyncStep2(update));
        var atB = await b.ReceiveUntilAsync(m => m.Type == MessageType.Sync && m.SyncType == SyncMessageType.Update);
        Assert.Equal(update, atB.Payload.ToArray());
        var stored = await server.Store.PeekAsync(new("p", "step2relay"));
        Assert.Equal(update, Assert.Single(stored!.Log).Payload);
    }

    [Fact]
    public async Task A_step_2_holding_only_deletions_the_document_already_has_is_neither_stored_nor_relayed()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/deletes"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/deletes"));
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "abc")));
        await a.SendAsync(TestUpdates.UpdateFrame(TestUpdates.DeleteOnly(1, 1, 1)));
        await b.ReceiveUpdatesAsync(TestUpdates.TextAppend(1, 0, "abc"), TestUpdates.DeleteOnly(1, 1, 1));

        // what a reconnecting client's step 2 looks like when it has nothing new: its delete set only
        await a.SendAsync(SyncMessages.EncodeSyncStep2(TestUpdates.DeleteOnly(1, 1, 1)));
        Assert.True(await b.IsQuietAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(2, (await server.Store.PeekAsync(new("p", "deletes")))!.Log.Count);

        // a deletion the document does not have yet goes through
        await a.SendAsync(SyncMessages.EncodeSyncStep2(TestUpdates.DeleteOnly(1, 0, 2)));
        await b.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(3, (await server.Store.PeekAsync(new("p", "deletes")))!.Log.Count);
    }

    [Fact]
    public async Task Awareness_is_relayed_to_everyone_and_sent_to_newcomers_and_query_awareness_is_answered()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/awareness"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/awareness"));
        await a.SendAsync(TestUpdates.AwarenessFrame(42, 1, "{\"user\":\"a\"}"));
        foreach (var peer in new[] { a, b })
        {
            var relayed = await peer.ReceiveUntilAsync(m => m.Type == MessageType.Awareness);
            var entry = Assert.Single(AwarenessUpdate.Decode(relayed.Payload.Span));
            Assert.Equal(new AwarenessEntry(42, 1, "{\"user\":\"a\"}"), entry);
        }

        // a newcomer gets step 1 and then the current states
        await using var c = await RawClient.ConnectAsync(server.DocumentUri("p/awareness"));
        Assert.Equal(SyncMessageType.Step1, ProtocolMessage.Decode(await c.ReceiveAsync()).SyncType);
        var greeting = ProtocolMessage.Decode(await c.ReceiveAsync());
        Assert.Equal(MessageType.Awareness, greeting.Type);
        Assert.Equal(42UL, Assert.Single(AwarenessUpdate.Decode(greeting.Payload.Span)).ClientId);

        await c.SendAsync(SyncMessages.EncodeQueryAwareness());
        var answer = await c.ReceiveUntilAsync(m => m.Type == MessageType.Awareness);
        Assert.Equal(42UL, Assert.Single(AwarenessUpdate.Decode(answer.Payload.Span)).ClientId);
    }

    [Fact]
    public async Task The_awareness_states_a_connection_introduced_are_removed_and_broadcast_when_it_closes()
    {
        await using var server = await TestServer.StartAsync();
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/leave"));
        var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/leave"));
        await a.SendAsync(TestUpdates.AwarenessFrame(77, 3, "{\"cursor\":1}"));
        await b.ReceiveUntilAsync(m => m.Type == MessageType.Awareness);
        await a.DisposeAsync();
        var removal = await b.ReceiveUntilAsync(m => m.Type == MessageType.Awareness);
        Assert.Equal(new AwarenessEntry(77, 3, "null"), Assert.Single(AwarenessUpdate.Decode(removal.Payload.Span)));
    }

    [Fact]
    public async Task Awareness_states_time_out_when_not_renewed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:AwarenessTimeout"] = "00:00:00.500" });
        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("p/timeout"));
        await a.SendAsync(TestUpdates.AwarenessFrame(5, 1, "{}"));
        await a.ReceiveUntilAsync(m => m.Type == MessageType.Awareness && !AwarenessUpdate.Decode(m.Payload.Span)[0].IsRemoved);
        var removal = await a.ReceiveUntilAsync(m => m.Type == MessageType.Awareness, TimeSpan.FromSeconds(5));
        Assert.True(Assert.Single(AwarenessUpdate.Decode(removal.Payload.Span)).IsRemoved);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_endpoint_is_told_to_use_a_websocket()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        var response = await http.GetAsync(server.HttpUrl + "/ws/a/b");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_live_and_ready_answer_and_ready_fails_when_storage_does_not_answer()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        Assert.Equal(200, (int)(await http.GetAsync(server.HttpUrl + "/health/live")).StatusCode);
        Assert.Equal(200, (int)(await http.GetAsync(server.HttpUrl + "/health/ready")).StatusCode);
        server.Store.FailPing = true;
        Assert.Equal(503, (int)(await http.GetAsync(server.HttpUrl + "/health/ready")).StatusCode);
        Assert.Equal(200, (int)(await http.GetAsync(server.HttpUrl + "/health/live")).StatusCode);
    }

    [Fact]
    public void Listening_url_is_printed_as_a_websocket_url()
    {
        Assert.Equal("ws://localhost:5000", CollabServer.WebSocketUrl("http://localhost:5000"));
        Assert.Equal("wss://example.org", CollabServer.WebSocketUrl("https://example.org"));
    }
}
