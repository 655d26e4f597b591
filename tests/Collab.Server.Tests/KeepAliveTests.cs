using System.Net.Sockets;
using System.Text;
using Collab.Server.Tests.Infrastructure;
using Collab.Sync;

namespace Collab.Server.Tests;

/// <summary>The server pings; a peer that never answers is dropped and its awareness states removed.</summary>
public sealed class KeepAliveTests
{
    [Fact]
    public async Task A_peer_that_never_answers_pings_is_dropped_and_its_awareness_is_removed()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Collab:Connections:PingInterval"] = "00:00:00.200",
            ["Collab:Connections:PongTimeout"] = "00:00:00.500",
        });
        await using var watcher = await RawClient.ConnectAndSyncAsync(server.DocumentUri("k/silent"));

        // a hand-made WebSocket client that completes the handshake, says one thing, then goes silent (no pongs)
        var uri = new Uri(server.HttpUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        string request = $"GET /ws/k/silent HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        Assert.StartsWith("HTTP/1.1 101", await ReadHeadersAsync(stream));
        await stream.WriteAsync(MaskedBinaryFrame(TestUpdates.AwarenessFrame(4242, 1, "{\"silent\":true}")));

        var added = await watcher.ReceiveUntilAsync(m => m.Type == MessageType.Awareness);
        Assert.Equal(4242UL, Assert.Single(AwarenessUpdate.Decode(added.Payload.Span)).ClientId);

        // keep-alive keeps an answering connection open: the watcher (ClientWebSocket answers pings) stays
        var removed = await watcher.ReceiveUntilAsync(m => m.Type == MessageType.Awareness, TimeSpan.FromSeconds(10));
        var entry = Assert.Single(AwarenessUpdate.Decode(removed.Payload.Span));
        Assert.Equal(4242UL, entry.ClientId);
        Assert.True(entry.IsRemoved);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, watcher.State);
    }

    private static async Task<string> ReadHeadersAsync(NetworkStream stream)
    {
        var headers = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            headers.Append((char)one[0]);
        }

        return headers.ToString();
    }

    private static byte[] MaskedBinaryFrame(byte[] payload)
    {
        Assert.True(payload.Length < 126);
        byte[] mask = [0x11, 0x22, 0x33, 0x44];
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x82;
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }
}
