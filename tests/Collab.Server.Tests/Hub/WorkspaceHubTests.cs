using System.Text.Json;
using Collab.Server.Events;
using Collab.Server.Tests.Infrastructure;
using Collab.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Collab.Server.Tests.Hub;

/// <summary>The workspace hub (<c>/hubs/workspace</c>) with a real <c>@microsoft/signalr</c> client and real y-websocket clients.</summary>
public sealed class WorkspaceHubTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private static bool Joined(JsonElement line, string workspace) =>
        line.TryGetProperty("joined", out var j) && j.GetString() == workspace;

    /// <summary>The users of a PresenceChanged payload as "clientId=userJson" strings, in order.</summary>
    private static string Users(JsonElement presence) =>
        string.Join(";", presence.GetProperty("users").EnumerateArray().Select(u =>
            u.GetProperty("clientId").GetInt64() + "=" + u.GetProperty("user").GetRawText()));

    private const string Ada = "2001={\"name\":\"Ada\",\"color\":\"#ff0000\"}";
    private const string Bob = "2002={\"name\":\"Bob\"}";

    [Fact]
    public async Task Hub_client_sees_users_join_edit_throttled_and_leave_and_a_late_joiner_gets_the_current_presence()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var hub = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "acme"), "acme");
        await hub.WaitForAsync(l => Joined(l, "acme"), "joining acme");

        string gate = Path.Combine(Path.GetTempPath(), $"collab-hub-gate-{Guid.NewGuid():N}");
        const int edits = 40;
        long gateOpenedAt = 0; // Unix ms, the clock of the hub client's arrival times
        await using var scenario = NodeScenario.Start("presence", new
        {
            url = server.WsUrl,
            room = "acme/doc1",
            token = TestTokens.Create("write", "acme"),
            gate,
            edits,
            editIntervalMs = 10,
        });
        try
        {
            var stage = await scenario.NextLineAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("present", stage.GetProperty("stage").GetString());
            await hub.WaitForEventAsync("PresenceChanged", p => Users(p) == Ada + ";" + Bob, "Ada and Bob present");

            // a client joining now is told who is there at once
            await using (var late = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "*"), "acme"))
            {
                var snapshot = await late.WaitForEventAsync("PresenceChanged", p => true, "the current presence on join");
                Assert.Equal("acme", snapshot.GetProperty("data").GetProperty("workspace").GetString());
                Assert.Equal("doc1", snapshot.GetProperty("data").GetProperty("document").GetString());
                Assert.Equal(Ada + ";" + Bob, Users(snapshot.GetProperty("data")));
            }

            gateOpenedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await File.WriteAllTextAsync(gate, "go");
            await scenario.ResultAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(gate);
        }

        await hub.WaitForEventAsync("PresenceChanged", p => Users(p) == string.Empty, "everyone gone");
        var presence = hub.Events("PresenceChanged").Select(e => e.Data).ToList();
        Assert.All(presence, p => Assert.Equal("doc1", p.GetProperty("document").GetString()));
        var sequence = presence.Select(Users).ToList();

        // only real changes: a's cursor move and awareness renewals raised nothing
        for (int i = 1; i < sequence.Count; i++)
        {
            Assert.NotEqual(sequence[i - 1], sequence[i]);
        }

        int both = sequence.IndexOf(Ada + ";" + Bob);
        // Bob may also be alone before Ada arrives (the two connect in either order): Bob alone after both is the leave
        int bobAlone = sequence.LastIndexOf(Bob);
        Assert.True(both >= 0 && bobAlone > both, "Ada and Bob, then Bob alone: " + string.Join(" | ", sequence));
        Assert.Equal(string.Empty, sequence[^1]);

        // the last change reaches the hub: its lastSeq is the document's last stored sequence
        var stored = await server.Store.LoadAsync(new DocumentKey("acme", "doc1"));
        long lastSeq = stored!.Log[^1].Seq;
        var changed = await hub.WaitForEventAsync("DocumentChanged", d => d.GetProperty("lastSeq").GetInt64() == lastSeq, "the last change");
        var changes = hub.Events("DocumentChanged");
        Assert.True(changes.Count >= 2, "the first edit and the burst");
        Assert.True(changes.Count < edits / 2, $"{edits} quick edits were throttled, yet {changes.Count} DocumentChanged arrived");
        for (int i = 1; i < changes.Count; i++)
        {
            Assert.True(changes[i].Data.GetProperty("lastSeq").GetInt64() > changes[i - 1].Data.GetProperty("lastSeq").GetInt64());
        }

        // At most one per 250 ms per document. The burst's events were all sent between the gate opening and the last
        // arrival, so that window bounds how many the throttle may have let through; a late arrival only widens it.
        // (Gaps between arrivals are not compared: one event delayed on a busy machine lands close to the next.)
        var burst = changes.Where(c => c.At >= gateOpenedAt).ToList();
        long window = burst.Count == 0 ? 0 : burst[^1].At - gateOpenedAt;
        long allowed = window / (long)Interval.TotalMilliseconds + 2;
        Assert.True(burst.Count <= allowed, $"{burst.Count} DocumentChanged within {window} ms of the burst; the throttle allows at most {allowed}");

        var last = changed.GetProperty("data");
        Assert.Equal(["by", "document", "lastSeq", "size", "workspace"], last.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("acme", last.GetProperty("workspace").GetString());
        Assert.StartsWith("test-user", last.GetProperty("by").GetString());
        Assert.True(last.GetProperty("size").GetInt64() > 0);
    }

    [Fact]
    public async Task SnapshotCreated_and_DocumentRestored_reach_the_workspace_group_with_the_contract_payloads()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var hub = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "acme"), "acme");
        await using var other = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "beta"), "beta");
        await hub.WaitForAsync(l => Joined(l, "acme"), "joining acme");
        await other.WaitForAsync(l => Joined(l, "beta"), "joining beta");

        var events = server.App.Services.GetRequiredService<IWorkspaceEvents>();
        var created = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);
        events.SnapshotCreated(new DocumentKey("acme", "doc1"), new NamedSnapshotInfo(7, new DocumentKey("acme", "doc1"), 42, "before launch", "ada", created, 1234));
        events.DocumentRestored(new DocumentKey("acme", "doc1"), 7, 43, "restore:7:ada");

        var snapshot = (await hub.WaitForEventAsync("SnapshotCreated", _ => true, "SnapshotCreated")).GetProperty("data");
        Assert.Equal("acme", snapshot.GetProperty("workspace").GetString());
        Assert.Equal("doc1", snapshot.GetProperty("document").GetString());
        var info = snapshot.GetProperty("snapshot");
        Assert.Equal(["author", "createdAt", "id", "label", "seq", "size"], info.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(7, info.GetProperty("id").GetInt64());
        Assert.Equal("before launch", info.GetProperty("label").GetString());
        Assert.Equal("ada", info.GetProperty("author").GetString());
        Assert.Equal(42, info.GetProperty("seq").GetInt64());
        Assert.Equal(created, info.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(1234, info.GetProperty("size").GetInt64());

        var restored = (await hub.WaitForEventAsync("DocumentRestored", _ => true, "DocumentRestored")).GetProperty("data");
        Assert.Equal(["by", "document", "seq", "snapshotId", "workspace"], restored.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(7, restored.GetProperty("snapshotId").GetInt64());
        Assert.Equal(43, restored.GetProperty("seq").GetInt64());
        Assert.Equal("restore:7:ada", restored.GetProperty("by").GetString());

        // another workspace's group hears nothing of acme: give the events time to (wrongly) arrive
        await Task.Delay(500);
        Assert.DoesNotContain(other.Lines, l => l.TryGetProperty("event", out _));
    }

    [Fact]
    public async Task Snapshot_and_restore_made_over_REST_raise_SnapshotCreated_DocumentRestored_and_DocumentChanged()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var hub = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "acme"), "acme");
        await hub.WaitForAsync(l => Joined(l, "acme"), "joining acme");
        using var api = new ApiClient(server.HttpUrl, TestTokens.Create("write", "acme"));

        var writer = new Crdt.Doc();
        writer.GetText("text").Insert(0, "first");
        await api.PostUpdateAsync("acme", "notes", writer.EncodeStateAsUpdate());
        string path = ApiClient.DocPath("acme", "notes");
        var snapshot = await ApiClient.JsonAsync(await api.PostJsonAsync(path + "/snapshots", "{\"label\":\"v1\"}"), System.Net.HttpStatusCode.Created);
        long id = snapshot.GetProperty("id").GetInt64();
        byte[] sv = writer.EncodeStateVector();
        writer.GetText("text").Insert(5, " draft");
        await api.PostUpdateAsync("acme", "notes", writer.EncodeStateAsUpdate(sv));
        var restore = await ApiClient.JsonAsync(await api.PostJsonAsync($"{path}/snapshots/{id}/restore", "{}"));

        var created = (await hub.WaitForEventAsync("SnapshotCreated", _ => true, "SnapshotCreated")).GetProperty("data");
        Assert.Equal("notes", created.GetProperty("document").GetString());
        Assert.Equal(id, created.GetProperty("snapshot").GetProperty("id").GetInt64());
        Assert.Equal("v1", created.GetProperty("snapshot").GetProperty("label").GetString());
        Assert.Equal("test-user", created.GetProperty("snapshot").GetProperty("author").GetString());

        var restored = (await hub.WaitForEventAsync("DocumentRestored", _ => true, "DocumentRestored")).GetProperty("data");
        Assert.Equal(id, restored.GetProperty("snapshotId").GetInt64());
        Assert.Equal(restore.GetProperty("seq").GetInt64(), restored.GetProperty("seq").GetInt64());
        Assert.Equal("test-user", restored.GetProperty("by").GetString());

        // the restore is an update like any other: DocumentChanged reaches its sequence number
        long restoreSeq = restore.GetProperty("seq").GetInt64();
        await hub.WaitForEventAsync("DocumentChanged", c => c.GetProperty("lastSeq").GetInt64() == restoreSeq, "DocumentChanged for the restore");
    }

    [Fact]
    public async Task A_token_limited_to_a_document_pattern_hears_only_about_matching_documents()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var scoped = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "acme", "plans-*"), "acme");
        await using var full = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "acme"), "acme");
        await scoped.WaitForAsync(l => Joined(l, "acme"), "scoped joining acme");
        await full.WaitForAsync(l => Joined(l, "acme"), "full joining acme");

        var events = server.App.Services.GetRequiredService<IWorkspaceEvents>();
        events.DocumentRestored(new DocumentKey("acme", "secret-notes"), 1, 10, "x");
        events.DocumentRestored(new DocumentKey("acme", "plans-q3"), 2, 20, "x");

        await full.WaitForEventAsync("DocumentRestored", d => d.GetProperty("document").GetString() == "plans-q3", "plans-q3 on the full listener");
        await full.WaitForEventAsync("DocumentRestored", d => d.GetProperty("document").GetString() == "secret-notes", "secret-notes on the full listener");
        await scoped.WaitForEventAsync("DocumentRestored", d => d.GetProperty("document").GetString() == "plans-q3", "plans-q3 on the scoped listener");
        await Task.Delay(500);
        Assert.DoesNotContain(scoped.Events("DocumentRestored"), e => e.Data.GetProperty("document").GetString() == "secret-notes");
    }

    [Fact]
    public async Task Joining_a_workspace_the_token_does_not_cover_throws_a_hub_error_naming_both()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var hub = HubListener.Start(server.HttpUrl, TestTokens.Create("admin", "beta"), "acme", "beta");
        var denied = await hub.WaitForAsync(l => l.TryGetProperty("joinError", out _), "the join error");
        Assert.Equal("acme", denied.GetProperty("joinError").GetString());
        Assert.Contains("grants access to workspace 'beta', not to 'acme'", denied.GetProperty("message").GetString());
        await hub.WaitForAsync(l => Joined(l, "beta"), "joining beta");
        Assert.True(server.Logs.Contains(61));
    }

    [Fact]
    public async Task Unauthenticated_and_badly_signed_connections_are_refused_with_401_when_auth_is_on()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var anonymous = HubListener.Start(server.HttpUrl, null, "acme");
        await using var forged = HubListener.Start(server.HttpUrl, TestTokens.Create("read", "acme", secret: "another-secret-that-is-long-enough-0123456789"), "acme");

        foreach (var hub in new[] { anonymous, forged })
        {
            var refused = await hub.WaitForAsync(l => l.TryGetProperty("connectError", out _), "the refused connection");
            Assert.Equal(401, refused.GetProperty("statusCode").GetInt32());
            Assert.DoesNotContain(hub.Lines, l => l.TryGetProperty("joined", out _));
        }

        Assert.True(server.Logs.Contains(60, "A token is required"));
        Assert.True(server.Logs.Contains(60, "The token is invalid"));
    }

    [Fact]
    public async Task A_token_in_the_access_token_query_of_a_websocket_without_negotiation_is_accepted()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var hub = HubListener.Start(new { url = server.HttpUrl, token = TestTokens.Create("read", "acme"), workspaces = new[] { "acme" }, transport = "websockets" });
        await hub.WaitForAsync(l => Joined(l, "acme"), "joining acme over a WebSocket");

        await NodeScenario.RunAsync("write", new { url = server.WsUrl, room = "acme/plain", token = TestTokens.Create("write", "acme"), text = "hi" });
        var changed = await hub.WaitForEventAsync("DocumentChanged", d => d.GetProperty("document").GetString() == "plain", "the edit");
        Assert.Equal(1, changed.GetProperty("data").GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task With_auth_off_anyone_may_join_any_workspace()
    {
        await using var server = await TestServer.StartAsync();
        await using var hub = HubListener.Start(server.HttpUrl, null, "acme", "beta");
        await hub.WaitForAsync(l => Joined(l, "beta"), "joining beta");
        Assert.Contains(hub.Lines, l => Joined(l, "acme"));
    }
}
