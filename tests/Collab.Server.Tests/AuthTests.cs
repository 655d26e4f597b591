using System.Net.WebSockets;
using Collab.Server.Tests.Infrastructure;
using Collab.Sync;

namespace Collab.Server.Tests;

public sealed class AuthTests
{
    private static async Task<int> UpgradeStatusAsync(Uri uri, string? bearer = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
            return (int)socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    [Fact]
    public async Task Missing_token_is_refused_with_401_when_auth_is_on()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        Assert.Equal(401, await UpgradeStatusAsync(server.DocumentUri("ws1/doc")));
        Assert.True(server.Logs.Contains(14));
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_refused_with_401()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        var token = TestTokens.Create("write", "ws1", secret: "another-secret-that-is-long-enough-0123456789");
        Assert.Equal(401, await UpgradeStatusAsync(server.DocumentUri("ws1/doc", token)));
    }

    [Fact]
    public async Task Expired_token_is_refused_with_401()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        var token = TestTokens.Create("write", "ws1", expires: DateTime.UtcNow.AddHours(-1));
        Assert.Equal(401, await UpgradeStatusAsync(server.DocumentUri("ws1/doc", token)));
    }

    [Fact]
    public async Task Garbage_token_and_unknown_role_are_refused_with_401()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        Assert.Equal(401, await UpgradeStatusAsync(server.DocumentUri("ws1/doc", "not-a-jwt")));
        Assert.Equal(401, await UpgradeStatusAsync(server.DocumentUri("ws1/doc", TestTokens.Create("owner", "ws1"))));
    }

    [Fact]
    public async Task Token_for_another_workspace_or_document_is_refused_with_403()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        Assert.Equal(403, await UpgradeStatusAsync(server.DocumentUri("ws1/doc", TestTokens.Create("write", "ws2"))));
        Assert.Equal(403, await UpgradeStatusAsync(server.DocumentUri("ws1/doc", TestTokens.Create("write", "ws1", "notes-*"))));
    }

    [Fact]
    public async Task Wildcard_workspace_document_pattern_and_bearer_header_are_accepted()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        Assert.Equal(101, await UpgradeStatusAsync(server.DocumentUri("ws1/notes-1", TestTokens.Create("write", "*", "notes-*"))));
        Assert.Equal(101, await UpgradeStatusAsync(server.DocumentUri("ws1/doc"), bearer: TestTokens.Create("read", "ws1")));
    }

    [Fact]
    public async Task Read_only_connection_receives_updates_and_its_writes_are_answered_with_permission_denied()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var writer = await RawClient.ConnectAndSyncAsync(server.DocumentUri("ws1/ro", TestTokens.Create("write", "ws1")));
        await using var reader = await RawClient.ConnectAndSyncAsync(server.DocumentUri("ws1/ro", TestTokens.Create("read", "ws1")));

        foreach (var write in new[] { SyncMessages.EncodeUpdate(TestUpdates.TextAppend(8, 0, "no")), SyncMessages.EncodeSyncStep2(TestUpdates.TextAppend(8, 0, "no")) })
        {
            await reader.SendAsync(write);
            var denied = await reader.ReceiveUntilAsync(m => m.Type == MessageType.Auth);
            Assert.Contains("read-only", denied.Reason);
        }

        // a delete set the document already has (what an in-sync client's step 2 holds) is not a write; a new deletion is
        await writer.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(9, 0, "yes")));
        await writer.SendAsync(TestUpdates.UpdateFrame(TestUpdates.DeleteOnly(9, 0, 1)));
        await reader.ReceiveUpdatesAsync(TestUpdates.TextAppend(9, 0, "yes"), TestUpdates.DeleteOnly(9, 0, 1));
        await reader.SendAsync(SyncMessages.EncodeSyncStep2(TestUpdates.DeleteOnly(9, 0, 1)));
        Assert.True(await reader.IsQuietAsync(TimeSpan.FromMilliseconds(300)));
        await reader.SendAsync(SyncMessages.EncodeSyncStep2(TestUpdates.DeleteOnly(9, 1, 2)));
        Assert.Contains("read-only", (await reader.ReceiveUntilAsync(m => m.Type == MessageType.Auth)).Reason);

        // reads and awareness still work
        await reader.SendAsync(SyncMessages.EncodeSyncStep1([0]));
        await reader.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Step2);
        await writer.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(9, 3, "!")));
        var update = await reader.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(TestUpdates.TextAppend(9, 3, "!"), update.Payload.ToArray());

        var stored = await server.Store.PeekAsync(new("ws1", "ro"));
        Assert.Equal(3, stored!.Log.Count);
        Assert.DoesNotContain(stored.Log, u => u.Payload.SequenceEqual(TestUpdates.TextAppend(8, 0, "no")));
    }

    [Fact]
    public async Task Auth_on_without_a_secret_fails_at_start_up_with_a_clear_message()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Auth:Enabled"] = "true" }));
        Assert.Contains("Collab:Auth:Secret", e.ToString());
    }

    [Fact]
    public async Task Auth_off_is_logged_loudly()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Contains(server.Logs.Entries, e => e.Event.Id == 1 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("notes-*", "notes-1", true)]
    [InlineData("notes-*", "note-1", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("exact", "exact", true)]
    public void Document_patterns_match_with_star_wildcards(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Auth.TokenValidator.GlobMatches(pattern, document));
}
