using Collab.Server.Tests.Infrastructure;

namespace Collab.Server.Tests;

/// <summary>Unmodified y-websocket providers (Node, yjs 13.6.33, ws) against a real Kestrel.</summary>
public sealed class YWebsocketClientTests
{
    [Fact]
    public async Task Two_clients_converge_on_concurrent_text_map_array_and_xml_edits_and_a_late_joiner_gets_everything()
    {
        await using var server = await TestServer.StartAsync();
        var result = await NodeScenario.RunAsync("converge", new { url = server.WsUrl, room = "ws1/two", clients = 2, edits = 40, seed = 2 });
        Assert.True(result.GetProperty("lateJoinerEqual").GetBoolean());
        var content = result.GetProperty("content");
        Assert.NotEqual(string.Empty, content.GetProperty("text").GetString());
        Assert.NotEqual(string.Empty, content.GetProperty("xml").GetString());
    }

    [Fact]
    public async Task Ten_clients_converge_on_concurrent_text_map_array_and_xml_edits_and_a_late_joiner_gets_everything()
    {
        await using var server = await TestServer.StartAsync();
        var result = await NodeScenario.RunAsync("converge", new { url = server.WsUrl, room = "ws1/ten", clients = 10, edits = 25, seed = 10 });
        Assert.True(result.GetProperty("lateJoinerEqual").GetBoolean());
        Assert.Equal(10, result.GetProperty("clients").GetInt32());
    }

    [Fact]
    public async Task Late_joiner_after_a_restart_receives_everything_from_storage()
    {
        var store = new TestStore();
        string text;
        await using (var first = await TestServer.StartAsync(store: store))
        {
            var written = await NodeScenario.RunAsync("converge", new { url = first.WsUrl, room = "ws1/restart", clients = 3, edits = 20, seed = 3 });
            text = written.GetProperty("content").GetRawText();
        }

        await using var second = await TestServer.StartAsync(store: store);
        var read = await NodeScenario.RunAsync("read", new { url = second.WsUrl, room = "ws1/restart" });
        Assert.Equal(text, read.GetProperty("content").GetRawText());
    }

    [Fact]
    public async Task Offline_edits_merge_on_reconnect()
    {
        await using var server = await TestServer.StartAsync();
        var result = await NodeScenario.RunAsync("offline", new { url = server.WsUrl, room = "ws1/offline" });
        var content = result.GetProperty("content");
        Assert.Equal("offlineA shared onlineB", content.GetProperty("text").GetString());
        Assert.Equal(1, content.GetProperty("map").GetProperty("a").GetInt32());
        Assert.Equal(2, content.GetProperty("map").GetProperty("b").GetInt32());
        Assert.Equal("fromA", content.GetProperty("array")[0].GetString());
    }

    [Fact]
    public async Task Awareness_states_appear_change_and_disappear_when_a_client_leaves()
    {
        await using var server = await TestServer.StartAsync();
        var result = await NodeScenario.RunAsync("awareness", new { url = server.WsUrl, room = "ws1/awareness" });
        Assert.DoesNotContain(1001, result.GetProperty("bSees").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Contains(1002, result.GetProperty("cSees").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Types_nested_past_MaxTypeNesting_close_the_writer_for_good_and_the_document_keeps_working()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Limits:MaxTypeNesting"] = "16" });
        var result = await NodeScenario.RunAsync("nesting", new { url = server.WsUrl, room = "ws1/nesting", limit = 16 });
        Assert.Equal(4417, result.GetProperty("closed").GetProperty("code").GetInt32());
        Assert.Contains("17 levels", result.GetProperty("closed").GetProperty("reason").GetString());
        Assert.False(result.GetProperty("writerConnected").GetBoolean());
        Assert.Equal(["after", "ok"], result.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray());
        Assert.Equal(16, result.GetProperty("okDepth").GetInt32());
    }

    [Fact]
    public async Task Read_only_token_receives_everything_but_cannot_change_the_document()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        var result = await NodeScenario.RunAsync("readonly", new
        {
            url = server.WsUrl,
            room = "ws1/readonly",
            writeToken = TestTokens.Create("write", "ws1"),
            readToken = TestTokens.Create("read", "ws1", "read*"),
        });
        Assert.Equal("hello world", result.GetProperty("writer").GetString());
        Assert.Equal("hello world", result.GetProperty("verifier").GetString());
        Assert.Equal(0, result.GetProperty("verifierMapKeys").GetArrayLength());
        // exactly its two edits are refused: the step 2 it sends on connect (nothing new) is not a write
        Assert.Equal(2, result.GetProperty("denied").GetArrayLength());
        Assert.All(result.GetProperty("denied").EnumerateArray(), d => Assert.Contains("read-only", d.GetString()));
        Assert.True(server.Logs.Contains(15));
    }
}
