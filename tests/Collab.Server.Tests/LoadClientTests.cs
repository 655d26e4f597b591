using Collab.Server.Tests.Infrastructure;

namespace Collab.Server.Tests;

/// <summary>
/// The load generator's light client (<c>bench/load/light.mjs</c>, the y-websocket protocol without a Y.Doc) checked
/// against yjs 13.6.33 and a real provider: the bench's numbers mean something only if the server sees what a
/// provider would send.
/// </summary>
public sealed class LoadClientTests
{
    [Fact]
    public async Task The_light_client_writes_yjs_bytes_a_provider_applies_them_and_it_reads_what_providers_and_sync_send()
    {
        await using var server = await TestServer.StartAsync();
        var result = await NodeScenario.RunAsync("light", new { url = server.WsUrl, room = "bench/light" });

        Assert.Equal(0, result.GetProperty("mismatches").GetArrayLength());
        // a merged update of the four sets: the items of the three overwritten values are deleted, not removed, so
        // every value is still in it, in clock order
        Assert.Equal("[0,1,2,3]", result.GetProperty("readBack").GetRawText());
        Assert.Equal(2, result.GetProperty("providerSaw").GetProperty("s").GetInt32());
        Assert.Equal("[0,1,2]", result.GetProperty("lightSaw").GetRawText());
        // sync step 2 to a late joiner holds each key's last value only (the server garbage-collects overwritten ones)
        Assert.Equal("[\"light2\",\"provider2\"]", result.GetProperty("lateSaw").GetRawText());
    }
}
