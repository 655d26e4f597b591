using System.Net.WebSockets;
using Collab.Sync;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>A bare WebSocket speaking bytes: for protocol checks and for misbehaving on purpose.</summary>
internal sealed class RawClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket _socket = new();
    private readonly System.Threading.Channels.Channel<byte[]> _incoming = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
    private Task? _pump;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public static async Task<RawClient> ConnectAsync(Uri uri)
    {
        var client = new RawClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await client._socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    /// <summary>Connects and reads the server's greeting (sync step 1, and the awareness states if there are any).</summary>
    public static async Task<RawClient> ConnectAndSyncAsync(Uri uri)
    {
        var client = await ConnectAsync(uri);
        var step1 = ProtocolMessage.Decode(await client.ReceiveAsync());
        Assert.Equal(SyncMessageType.Step1, step1.SyncType);
        return client;
    }

    public async Task SendAsync(byte[] frame, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(frame, type, true, timeout.Token);
    }

    /// <summary>The next whole message; fails the test on close or timeout.</summary>
    public async Task<byte[]> ReceiveAsync(TimeSpan? timeout = null)
    {
        var frame = await TryReceiveAsync(timeout ?? DefaultTimeout);
        return frame ?? throw new Xunit.Sdk.XunitException($"The connection closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
    }

    /// <summary>The next message, or null once the server closed the connection.</summary>
    public async Task<byte[]?> TryReceiveAsync(TimeSpan timeout)
    {
        // a cancelled ReceiveAsync aborts a ClientWebSocket: one pump reads, callers wait on its queue with a timeout
        _pump ??= Task.Run(PumpAsync);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (await _incoming.Reader.WaitToReadAsync(cts.Token) && _incoming.Reader.TryRead(out var frame))
            {
                return frame;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message within {timeout}.");
        }

        return null;
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _incoming.Writer.TryWrite(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Aborted = true;
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    /// <summary>True when the connection ended without a close handshake.</summary>
    public bool Aborted { get; private set; }

    /// <summary>Receives until a message matching <paramref name="predicate"/> arrives.</summary>
    public async Task<ProtocolMessage> ReceiveUntilAsync(Func<ProtocolMessage, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("The expected message did not arrive.");
            }

            var message = ProtocolMessage.Decode(await ReceiveAsync(left));
            if (predicate(message))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Receives update messages until they hold everything in <paramref name="updates"/>, however the server grouped
    /// them (it merges what one flush made durable); returns how many update messages that took.
    /// </summary>
    public async Task<int> ReceiveUpdatesAsync(params byte[][] updates)
    {
        var received = new Collab.Crdt.Doc();
        int messages = 0;
        while (!Covers(received, Collab.Crdt.Updates.Merge(updates)))
        {
            var message = await ReceiveUntilAsync(m => m.SyncType == SyncMessageType.Update);
            received.ApplyUpdate(message.Payload.ToArray());
            messages++;
        }

        return messages;

        static bool Covers(Collab.Crdt.Doc doc, byte[] update)
        {
            var missing = Collab.Crdt.Updates.Decode(Collab.Crdt.Updates.Diff(update, doc.EncodeStateVector()));
            return missing.Structs.Count == 0 && doc.CoversDeletions(missing.DeleteSet);
        }
    }

    /// <summary>Reads (and drops) messages until the server closes; returns its close code and reason.</summary>
    public async Task<(int Code, string Reason)> ExpectCloseAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("The server did not close the connection.");
            }

            var frame = await TryReceiveAsync(left);
            if (frame is null)
            {
                return ((int)(_socket.CloseStatus ?? 0), _socket.CloseStatusDescription ?? string.Empty);
            }
        }
    }

    /// <summary>True when no message arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> IsQuietAsync(TimeSpan quiet)
    {
        try
        {
            await TryReceiveAsync(quiet);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }
}
