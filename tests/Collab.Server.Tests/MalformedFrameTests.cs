using System.Net.WebSockets;
using Collab.Server.Connections;
using Collab.Server.Tests.Infrastructure;
using Collab.Sync;

namespace Collab.Server.Tests;

/// <summary>
/// Garbage closes only the connection that sent it, with a clear reason, while real y-websocket clients on the
/// same document keep editing and converge.
/// </summary>
public sealed class MalformedFrameTests
{
    public static TheoryData<string, byte[]> BadFrames()
    {
        var random = new Random(42);
        var noise = new byte[64];
        random.NextBytes(noise);
        noise[0] = 0x07; // an unknown message type, whatever the rest is
        var update = TestUpdates.UpdateFrame(TestUpdates.TextAppend(5, 0, "hello"));
        var invalidUpdate = SyncMessages.EncodeUpdate([0x01, 0x01, 0x05, 0x00, 0x1f, 0x00]); // struct kind 31 does not exist
        var garbageUpdate = SyncMessages.EncodeUpdate(noise);
        return new TheoryData<string, byte[]>
        {
            { "random bytes", noise },
            { "truncated update message", update[..(update.Length - 3)] },
            { "truncated length prefix", [0x00, 0x02, 0xff] },
            { "unknown sync type", [0x00, 0x09, 0x00] },
            { "invalid update", invalidUpdate },
            { "garbage update", garbageUpdate },
            { "invalid awareness json", SyncMessages.EncodeAwareness(AwarenessUpdate.Encode([new AwarenessEntry(1, 1, "{oops")])) },
            { "trailing bytes", [.. update, 0x00] },
            { "invalid state vector", SyncMessages.EncodeSyncStep1([0x05, 0x01]) },
        };
    }

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task Malformed_frame_closes_only_the_offending_connection_with_4400_and_a_reason(string what, byte[] frame)
    {
        await using var server = await TestServer.StartAsync();
        await using var good = await RawClient.ConnectAndSyncAsync(server.DocumentUri("m/doc"));
        await good.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 0, "before")));
        await good.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);

        await using var bad = await RawClient.ConnectAndSyncAsync(server.DocumentUri("m/doc"));
        await bad.SendAsync(frame);
        var (code, reason) = await bad.ExpectCloseAsync();
        Assert.True(code == CloseCodes.MalformedMessage, $"{what}: closed with {code} {reason}");
        Assert.False(string.IsNullOrWhiteSpace(reason), what);

        // the document and the other connection are unaffected
        await good.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 6, "after")));
        var echo = await good.ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
        Assert.Equal(TestUpdates.TextAppend(1, 6, "after"), echo.Payload.ToArray());
        var stored = await server.Store.PeekAsync(new("m", "doc"));
        Assert.Equal(2, stored!.Log.Count);
        Assert.True(server.Logs.Contains(12), what);
    }

    [Fact]
    public async Task Text_frame_closes_the_connection_with_unsupported_data()
    {
        await using var server = await TestServer.StartAsync();
        await using var bad = await RawClient.ConnectAndSyncAsync(server.DocumentUri("m/text"));
        await bad.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
        var (code, reason) = await bad.ExpectCloseAsync();
        Assert.Equal(CloseCodes.UnsupportedData, code);
        Assert.Contains("binary", reason);
    }

    [Fact]
    public async Task Real_clients_keep_editing_and_converge_while_other_connections_send_garbage()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Limits:MaxFrameBytes"] = "65536" });
        await using var steady = NodeScenario.Start("steady", new { url = server.WsUrl, room = "m/steady", clients = 3, durationMs = 2500 });
        await steady.NextLineAsync(TimeSpan.FromSeconds(30)); // ready

        var random = new Random(7);
        var codes = new List<int>();
        for (int i = 0; i < 12; i++)
        {
            await using var bad = await RawClient.ConnectAndSyncAsync(server.DocumentUri("m/steady"));
            byte[] frame = (i % 4) switch
            {
                0 => RandomBytes(random, 1 + random.Next(200)),
                1 => TestUpdates.UpdateFrame(TestUpdates.TextAppend(99, 0, "x"))[..5],
                2 => SyncMessages.EncodeUpdate(RandomBytes(random, 40)),
                _ => new byte[100_000], // over MaxFrameBytes
            };
            if (i % 4 == 0)
            {
                frame[0] = (byte)(4 + random.Next(100)); // unknown message type
            }

            await bad.SendAsync(frame);
            codes.Add((await bad.ExpectCloseAsync()).Code);
        }

        var result = await steady.ResultAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.GetProperty("closes").GetArrayLength());
        Assert.True(result.GetProperty("edits").GetInt32() > 0);
        Assert.All(codes, c => Assert.True(c is CloseCodes.MalformedMessage or CloseCodes.FrameTooLarge, $"close code {c}"));
        Assert.Contains(CloseCodes.FrameTooLarge, codes);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
