using System.Net;
using Collab.Crdt;
using Collab.Server.Connections;
using Collab.Server.Tests.Infrastructure;
using Collab.Storage;
using Collab.Sync;

namespace Collab.Server.Tests.Api;

/// <summary>Every REST endpoint over real HTTP against a real Kestrel, on the in-memory store, SQLite and PostgreSQL.</summary>
public sealed class ApiEndpointTests
{
    public static TheoryData<string> Backends => new() { "memory", "sqlite", "postgres" };

    private static byte[] TextUpdate(Doc doc, Action<Doc> edit)
    {
        byte[] before = doc.EncodeStateVector();
        edit(doc);
        return doc.EncodeStateAsUpdate(before);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Posted_updates_are_stored_and_read_back_as_content_binary_history_changes_and_listings(string backend)
    {
        await using var storage = await TestBackend.CreateAsync(backend);
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings(), storage.Store);
        using var api = new ApiClient(server.HttpUrl, TestTokens.Create("write", "*"));
        var writer = new Doc();
        long seq1 = await api.PostUpdateAsync("ws-a", "doc 1", TextUpdate(writer, d => d.GetText("text").Insert(0, "hello")));
        long seq2 = await api.PostUpdateAsync("ws-a", "doc 1",
            Updates.Convert(TextUpdate(writer, d => d.GetMap("meta").Set("n", 1.0)), UpdateFormat.V1, UpdateFormat.V2), "v2");
        Assert.Equal(seq1 + 1, seq2);
        await api.PostUpdateAsync("ws-a", "doc 2", TextUpdate(new Doc(), d => d.GetArray("list").Push("x")));
        await api.PostUpdateAsync("ws-b", "doc 3", TextUpdate(new Doc(), d => d.GetArray("list").Push("y")));

        Assert.Equal("""{"text":"hello","meta":{"n":1}}""", await api.ContentAsync("ws-a", "doc 1"));
        Assert.Equal("""{"meta":{"n":1},"text":"hello","none":{}}""", await api.ContentAsync("ws-a", "doc 1", "meta:map,text:text,none:map"));

        // the binary state in both formats, whole and as a diff against a state vector
        var path = ApiClient.DocPath("ws-a", "doc 1");
        var whole = await (await api.GetAsync(path + "/update")).Content.ReadAsByteArrayAsync();
        var copy = new Doc();
        copy.ApplyUpdate(whole);
        Assert.Equal(DocJson.Stringify(writer), DocJson.Stringify(copy));
        var v2 = await (await api.GetAsync(path + "/update?format=v2")).Content.ReadAsByteArrayAsync();
        var fromV2 = new Doc();
        fromV2.ApplyUpdate(v2, UpdateFormat.V2);
        Assert.Equal(DocJson.Stringify(writer), DocJson.Stringify(fromV2));
        var partial = new Doc();
        partial.GetText("text").Insert(0, "x"); // a peer with its own content only
        var diffResponse = await api.GetAsync(path + "/update?stateVector=" + ApiQueryBase64(partial.EncodeStateVector()));
        var diff = await diffResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, diffResponse.StatusCode);
        Assert.Equal("application/octet-stream", diffResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(seq2.ToString(), diffResponse.Headers.GetValues("X-Collab-Seq").Single());
        var caughtUp = new Doc();
        caughtUp.ApplyUpdate(diff);
        Assert.Equal("hello", caughtUp.GetText("text").ToString());

        var history = await ApiClient.JsonAsync(await api.GetAsync(path + "/history"));
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([seq1, seq2], items.Select(i => i.GetProperty("seq").GetInt64()));
        Assert.All(items, i => Assert.Equal("rest:test-user", i.GetProperty("origin").GetString()));
        Assert.All(items, i => Assert.True(i.GetProperty("size").GetInt64() > 0));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, history.GetProperty("next").ValueKind);
        var firstPage = await ApiClient.JsonAsync(await api.GetAsync(path + "/history?limit=1"));
        Assert.Equal(seq1.ToString(), firstPage.GetProperty("next").GetString());
        var secondPage = await ApiClient.JsonAsync(await api.GetAsync(path + $"/history?after={seq1}&limit=1"));
        Assert.Equal(seq2, secondPage.GetProperty("items")[0].GetProperty("seq").GetInt64());

        var changes = await ApiClient.JsonAsync(await api.GetAsync(path + $"/changes?since={seq1}"));
        Assert.Equal(seq2, changes.GetProperty("lastSeq").GetInt64());
        var change = Assert.Single(changes.GetProperty("updates").EnumerateArray());
        Assert.Equal("rest:test-user", change.GetProperty("origin").GetString());
        Assert.Equal(seq2, change.GetProperty("seq").GetInt64());
        var all = await ApiClient.JsonAsync(await api.GetAsync(path + "/changes?since=0"));
        Assert.Equal(seq2, all.GetProperty("lastSeq").GetInt64());
        var applied = new Doc();
        foreach (var u in all.GetProperty("updates").EnumerateArray())
        {
            applied.ApplyUpdate(System.Buffers.Text.Base64Url.DecodeFromChars(u.GetProperty("update").GetString()));
        }

        Assert.Equal(DocJson.Stringify(writer), DocJson.Stringify(applied));

        var workspaces = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces"));
        Assert.Equal(["ws-a", "ws-b"], workspaces.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("name").GetString()));
        var pagedWs = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces?limit=1"));
        Assert.Equal("ws-a", pagedWs.GetProperty("next").GetString());
        var afterWs = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces?after=ws-a"));
        Assert.Equal("ws-b", Assert.Single(afterWs.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());

        await using var connected = await RawClient.ConnectAndSyncAsync(server.DocumentUri("ws-a/doc 2", TestTokens.Create("read", "ws-a")));
        var documents = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces/ws-a/documents"));
        var docs = documents.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["doc 1", "doc 2"], docs.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(seq2, docs[0].GetProperty("lastSeq").GetInt64());
        Assert.True(docs[0].GetProperty("size").GetInt64() > 0);
        Assert.True(docs[0].GetProperty("updatedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(0, docs[0].GetProperty("connectedClients").GetInt32());
        Assert.Equal(1, docs[1].GetProperty("connectedClients").GetInt32());
        var pagedDocs = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces/ws-a/documents?limit=1"));
        Assert.Equal("doc 1", pagedDocs.GetProperty("next").GetString());
        var afterDocs = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces/ws-a/documents?after=doc%201"));
        Assert.Equal("doc 2", Assert.Single(afterDocs.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
    }

    private static string ApiQueryBase64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_posted_update_reaches_connected_clients_and_survives_a_restart(string backend)
    {
        await using var storage = await TestBackend.CreateAsync(backend);
        await using (var server = await TestServer.StartAsync(store: storage.Store))
        {
            await using var scenario = NodeScenario.Start("expect", new { url = server.WsUrl, room = "rest/broadcast", expect = "from REST" });
            await scenario.NextLineAsync(TimeSpan.FromSeconds(30));
            using var api = new ApiClient(server.HttpUrl);
            var doc = new Doc();
            doc.GetText("text").Insert(0, "from REST");
            long seq = await api.PostUpdateAsync("rest", "broadcast", doc.EncodeStateAsUpdate());
            Assert.Equal(1, seq);
            var result = await scenario.ResultAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("from REST", result.GetProperty("text").GetString());
        }

        await using var restarted = await TestServer.StartAsync(store: storage.Store);
        var read = await NodeScenario.RunAsync("read", new { url = restarted.WsUrl, room = "rest/broadcast" });
        Assert.Equal("from REST", read.GetProperty("content").GetProperty("text").GetString());
        using var again = new ApiClient(restarted.HttpUrl);
        Assert.Equal("""{"text":"from REST"}""", await again.ContentAsync("rest", "broadcast"));
    }

    [Fact]
    public async Task A_posted_update_is_answered_only_once_durable_and_broadcast_after_storage_has_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/durable"));
        using var api = new ApiClient(server.HttpUrl);
        server.Store.HoldAppends();
        var posting = api.PostBytesAsync(ApiClient.DocPath("d", "durable") + "/update", TestUpdates.TextAppend(5, 0, "x"));
        await WaitUntilAsync(() => server.Store.PendingAppends == 1, "the append to start");
        Assert.True(await observer.IsQuietAsync(TimeSpan.FromMilliseconds(300)));
        Assert.False(posting.IsCompleted);
        server.Store.ReleaseAppends();
        var json = await ApiClient.JsonAsync(await posting);
        Assert.Equal(1, json.GetProperty("seq").GetInt64());
        var relayed = await observer.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(TestUpdates.TextAppend(5, 0, "x"), relayed.Payload.ToArray());
    }

    [Fact]
    public async Task A_posted_update_in_flight_behind_an_append_that_fails_is_answered_503_not_left_waiting()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAndSyncAsync(server.DocumentUri("d/orphan"));
        using var api = new ApiClient(server.HttpUrl);
        server.Store.HoldAppends();
        await client.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "a")));
        await WaitUntilAsync(() => server.Store.PendingAppends == 1, "the client's append to start");
        var posting = api.PostBytesAsync(ApiClient.DocPath("d", "orphan") + "/update", TestUpdates.TextAppend(2, 0, "b"));
        await WaitUntilAsync(() => server.Store.PendingAppends == 2, "the posted update's append to start behind it");

        // the first append fails: the host closes the document, and the append behind it still answers its caller
        server.Store.FailAppends = true;
        server.Store.ReleaseAppends();
        Assert.Equal(CloseCodes.DocumentUnavailable, (await client.ExpectCloseAsync()).Code);
        await ApiClient.ProblemAsync(await posting.WaitAsync(TimeSpan.FromSeconds(10)), 503, "unavailable");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Named_snapshots_are_created_listed_read_with_content_and_restored_as_a_new_update(string backend)
    {
        await using var storage = await TestBackend.CreateAsync(backend);
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings(), storage.Store);
        using var api = new ApiClient(server.HttpUrl, TestTokens.Create("write", "snap"));
        var path = ApiClient.DocPath("snap", "doc");
        var writer = new Doc();
        await api.PostUpdateAsync("snap", "doc", TextUpdate(writer, d => d.GetText("text").Insert(0, "first draft")));
        var created = await ApiClient.JsonAsync(await api.PostJsonAsync(path + "/snapshots", """{"label":"draft 1"}"""), HttpStatusCode.Created);
        long id = created.GetProperty("id").GetInt64();
        Assert.Equal("draft 1", created.GetProperty("label").GetString());
        Assert.Equal("test-user", created.GetProperty("author").GetString());
        Assert.Equal(1, created.GetProperty("seq").GetInt64());
        Assert.True(created.GetProperty("size").GetInt64() > 0);

        await api.PostUpdateAsync("snap", "doc", TextUpdate(writer, d =>
        {
            d.GetText("text").Delete(0, 5);
            d.GetText("text").Insert(0, "final");
            d.GetMap("meta").Set("state", "done");
        }));
        Assert.Equal("""{"text":"final draft","meta":{"state":"done"}}""", await api.ContentAsync("snap", "doc"));

        var list = await ApiClient.JsonAsync(await api.GetAsync(path + "/snapshots"));
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        var one = await ApiClient.JsonAsync(await api.GetAsync(path + $"/snapshots/{id}"));
        Assert.Equal("first draft", one.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("draft 1", one.GetProperty("label").GetString());

        var restored = await ApiClient.JsonAsync(await api.PostJsonAsync(path + $"/snapshots/{id}/restore", ""));
        Assert.Equal(id, restored.GetProperty("snapshotId").GetInt64());
        long restoreSeq = restored.GetProperty("seq").GetInt64();
        Assert.Equal(3, restoreSeq);
        Assert.Equal("""{"text":"first draft","meta":{}}""", await api.ContentAsync("snap", "doc"));
        Assert.True(server.Logs.Contains(72));
        Assert.True(server.Logs.Contains(70));

        // history is kept: the restore is one more entry, recording who restored which snapshot
        var history = await ApiClient.JsonAsync(await api.GetAsync(path + "/history"));
        var origins = history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("origin").GetString()).ToList();
        Assert.Equal(["rest:test-user", "rest:test-user", $"restore:{id}:test-user"], origins);

        // a restore is undone by restoring a later snapshot
        var later = await ApiClient.JsonAsync(await api.PostJsonAsync(path + "/snapshots", """{"label":"after restore"}"""), HttpStatusCode.Created);
        await api.PostUpdateAsync("snap", "doc", TextUpdate(writer, d => d.GetMap("meta").Set("state", "again")));
        var stored = await storage.Store.PeekAsync(new DocumentKey("snap", "doc"));
        Assert.Equal(4, stored!.Log[^1].Seq);
        await ApiClient.JsonAsync(await api.PostJsonAsync(path + $"/snapshots/{later.GetProperty("id").GetInt64()}/restore", ""));
        Assert.Equal("""{"text":"first draft","meta":{}}""", await api.ContentAsync("snap", "doc"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Deleting_a_document_closes_its_connections_with_4410_and_removes_it_from_storage(string backend)
    {
        await using var storage = await TestBackend.CreateAsync(backend);
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings(), storage.Store);
        using var admin = new ApiClient(server.HttpUrl, TestTokens.Create("admin", "del"));
        await admin.PostUpdateAsync("del", "doc", TestUpdates.TextAppend(1, 0, "bye"));
        await ApiClient.JsonAsync(await admin.PostJsonAsync(ApiClient.DocPath("del", "doc") + "/snapshots", """{"label":"s"}"""), HttpStatusCode.Created);
        await using var client = await RawClient.ConnectAndSyncAsync(server.DocumentUri("del/doc", TestTokens.Create("write", "del")));

        var response = await admin.DeleteAsync(ApiClient.DocPath("del", "doc"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(CloseCodes.DocumentDeleted, code);
        Assert.Contains("deleted", reason);
        Assert.True(server.Logs.Contains(71));
        Assert.Null(await storage.Store.PeekAsync(new DocumentKey("del", "doc")));
        Assert.Null(await storage.Store.GetInfoAsync(new DocumentKey("del", "doc")));
        await ApiClient.ProblemAsync(await admin.GetAsync(ApiClient.DocPath("del", "doc")), 404, "does not exist");
        await ApiClient.ProblemAsync(await admin.DeleteAsync(ApiClient.DocPath("del", "doc")), 404, "does not exist");

        // the name can be used again: a new document starts empty
        await admin.PostUpdateAsync("del", "doc", TestUpdates.TextAppend(2, 0, "new"));
        Assert.Equal("""{"t":"new"}""", await admin.ContentAsync("del", "doc"));
    }

    [Fact]
    public async Task A_delete_waits_for_an_append_in_flight_so_that_it_cannot_recreate_the_document()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        await api.PostUpdateAsync("race", "doc", TestUpdates.TextAppend(1, 0, "a"));
        await using var client = await RawClient.ConnectAndSyncAsync(server.DocumentUri("race/doc"));
        server.Store.HoldAppends();
        await client.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 1, "b")));
        await WaitUntilAsync(() => server.Store.PendingAppends == 1, "the append to start");

        var deleting = api.DeleteAsync(ApiClient.DocPath("race", "doc"));
        Assert.Equal(CloseCodes.DocumentDeleted, (await client.ExpectCloseAsync()).Code);
        await Task.Delay(300);
        Assert.False(deleting.IsCompleted, "the delete answered while an append was in flight");
        server.Store.ReleaseAppends();
        Assert.Equal(HttpStatusCode.NoContent, (await deleting).StatusCode);
        Assert.Null(await server.Store.PeekAsync(new DocumentKey("race", "doc")));
        await ApiClient.ProblemAsync(await api.GetAsync(ApiClient.DocPath("race", "doc")), 404, "does not exist");
    }

    [Fact]
    public async Task A_document_loaded_for_a_rest_call_unloads_after_the_idle_delay()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:IdleUnloadDelay"] = "00:00:00.300" });
        using var api = new ApiClient(server.HttpUrl);
        await api.PostUpdateAsync("idle", "doc", TestUpdates.TextAppend(1, 0, "x"));
        Assert.NotNull(server.Registry.Find(new DocumentKey("idle", "doc")));
        await WaitUntilAsync(() => server.Registry.Find(new DocumentKey("idle", "doc")) is null, "the host to unload");
        // reads do not load a host
        Assert.Equal("""{"t":"x"}""", await api.ContentAsync("idle", "doc"));
        Assert.Null(server.Registry.Find(new DocumentKey("idle", "doc")));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_and_the_docs_page_is_served()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        var spec = await ApiClient.JsonAsync(await api.GetAsync("/openapi/v1.json"));
        var paths = spec.GetProperty("paths");
        string doc = "/api/workspaces/{ws}/documents/{doc}";
        foreach (var (p, method) in new[]
        {
            ("/api/workspaces", "get"), ("/api/workspaces/{ws}/documents", "get"), (doc, "get"), (doc, "delete"),
            (doc + "/update", "get"), (doc + "/update", "post"), (doc + "/history", "get"), (doc + "/changes", "get"),
            (doc + "/snapshots", "get"), (doc + "/snapshots", "post"), (doc + "/snapshots/{id}", "get"), (doc + "/snapshots/{id}/restore", "post"),
        })
        {
            Assert.True(paths.TryGetProperty(p, out var item), $"{p} missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out _), $"{method} {p} missing from the OpenAPI document");
        }

        var changes = paths.GetProperty(doc + "/changes").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("since", changes);
        Assert.Contains("timeout", changes);
        var page = await api.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/openapi/v1.json", html);
        Assert.DoesNotContain("https://", html);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
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
}
