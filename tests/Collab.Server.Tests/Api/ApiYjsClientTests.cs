using Collab.Server.Tests.Infrastructure;

namespace Collab.Server.Tests.Api;

/// <summary>The REST API against real y-websocket clients (Node, yjs 13.6): content equals yjs, restore while people edit.</summary>
public sealed class ApiYjsClientTests
{
    [Fact]
    public async Task Json_content_equals_yjs_toJSON_for_text_map_array_and_xml()
    {
        await using var server = await TestServer.StartAsync();
        var result = await NodeScenario.RunAsync("tojson", new { url = server.WsUrl, room = "json/doc" });
        string expected = result.GetProperty("named").GetString()!;
        using var api = new ApiClient(server.HttpUrl);
        Assert.Equal(expected, await api.ContentAsync("json", "doc", "text:text,map:map,array:array,xml:xml"));

        // the same from storage after the document unloads, and with kinds inferred from the content
        var inferred = await api.ContentAsync("json", "doc");
        var a = System.Text.Json.JsonDocument.Parse(expected).RootElement;
        var b = System.Text.Json.JsonDocument.Parse(inferred).RootElement;
        foreach (var root in new[] { "text", "map", "array", "xml" })
        {
            Assert.Equal(a.GetProperty(root).GetRawText(), b.GetProperty(root).GetRawText());
        }

        // a snapshot's content is rendered the same way
        var created = await ApiClient.JsonAsync(await api.PostJsonAsync(ApiClient.DocPath("json", "doc") + "/snapshots", """{"label":"all types"}"""),
            System.Net.HttpStatusCode.Created);
        var snapshot = await api.GetAsync(ApiClient.DocPath("json", "doc") + $"/snapshots/{created.GetProperty("id").GetInt64()}?types=text:text,map:map,array:array,xml:xml");
        string body = await snapshot.Content.ReadAsStringAsync();
        Assert.EndsWith(",\"content\":" + expected + "}", body);
    }

    [Theory]
    [InlineData("doc")]
    [InlineData("merged")]
    public async Task A_restore_reaches_two_connected_clients_within_a_second_they_keep_editing_and_an_offline_client_merges_on_return(string state)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:State"] = state });
        var result = await NodeScenario.RunAsync("restore", new { url = server.WsUrl, http = server.HttpUrl, room = "restore/doc" });
        var expected = result.GetProperty("expected");
        Assert.Equal("version one", expected.GetProperty("text").GetString());
        Assert.NotEqual(expected.GetRawText(), result.GetProperty("changed").GetRawText());
        Assert.True(result.GetProperty("aMs").GetInt32() <= 1000, $"a held the snapshot after {result.GetProperty("aMs")} ms");
        Assert.True(result.GetProperty("bMs").GetInt32() <= 1000, $"b held the snapshot after {result.GetProperty("bMs")} ms");

        var after = result.GetProperty("afterRestore");
        Assert.Equal("after version one", after.GetProperty("text").GetString());
        Assert.Equal("b", after.GetProperty("map").GetProperty("after").GetString());
        Assert.Equal("draft", after.GetProperty("map").GetProperty("status").GetString());

        var final = result.GetProperty("final");
        Assert.Equal("after version one +offline", final.GetProperty("text").GetString());
        Assert.True(final.GetProperty("map").GetProperty("offline").GetBoolean());
        Assert.Equal(["first"], final.GetProperty("array").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(string.Empty, final.GetProperty("xml").GetString());

        long snapshotId = result.GetProperty("snapshot").GetProperty("id").GetInt64();
        long restoreSeq = result.GetProperty("restored").GetProperty("seq").GetInt64();
        var restoreEntry = result.GetProperty("history").GetProperty("items").EnumerateArray().Single(i => i.GetProperty("seq").GetInt64() == restoreSeq);
        Assert.Equal($"restore:{snapshotId}", restoreEntry.GetProperty("origin").GetString());
    }
}
