using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Collab.Crdt;
using Collab.Server.Auth;
using Collab.Server.Documents;
using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Storage;
using Collab.Sync;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Connections;

/// <summary>
/// One y-websocket connection: a read loop that validates frames (size, rate, framing, update and awareness
/// contents) and posts them to the document host, and the single writer of its socket, fed by a bounded queue.
/// A violation closes this connection only, with a specific close code and reason; nothing escapes the loops.
/// </summary>
internal sealed class ClientConnection
{
    // most y-websocket messages are tens of bytes: an idle connection holds a small buffer, a large message borrows a
    // larger one from the pool only while it is read
    private const int InitialBufferBytes = 1024;
    private const int KeepBufferBytes = 16 * 1024;
    private static readonly TimeSpan CloseGracePeriod = TimeSpan.FromSeconds(5);
    private static readonly byte[] EmptyUpdateV1 = [0, 0];
    private static long _nextId;

    private readonly WebSocket _socket;
    private readonly Queue<byte[]> _outgoing = new(); // guarded by itself
    private readonly int _sendCapacity;
    private readonly TaskCompletionSource _sendsFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sending; // a pump owns the socket's sending side; guarded by _outgoing
    private bool _closeQueued; // nothing more is queued; the close frame follows what is; guarded by _outgoing
    private readonly CollabOptions _options;
    private readonly ILogger _logger;
    private readonly RateLimiter _rate;
    private readonly DecoderLimits _updateLimits;
    private int _closing;
    private int _closeCode = (int)WebSocketCloseStatus.NormalClosure;
    private string _closeReason = string.Empty;

    public ClientConnection(WebSocket socket, DocumentKey key, AccessGrant grant, CollabOptions options, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        Key = key;
        Grant = grant;
        _options = options;
        _logger = logger;
        Id = Interlocked.Increment(ref _nextId);
        Origin = grant.Subject is null ? $"conn:{Id}" : $"{grant.Subject} (conn:{Id})";
        _sendCapacity = Math.Max(16, options.Connections.SendQueueCapacity);
        _rate = new RateLimiter(options.Limits.MaxMessagesPerSecond, Math.Max(1, options.Limits.MessageBurst), time);
        _updateLimits = new DecoderLimits { MaxInputBytes = Math.Max(1, options.Limits.MaxUpdateBytes) };
    }

    public long Id { get; }

    public DocumentKey Key { get; }

    public AccessGrant Grant { get; }

    /// <summary>Stored with each update as its origin.</summary>
    public string Origin { get; }

    /// <summary>Awareness client ids this connection introduced; owned by the document host's thread.</summary>
    public HashSet<ulong> AwarenessClients { get; } = [];

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Whether the document host accepted this connection; owned by the host's thread.</summary>
    public bool Joined { get; set; }

    /// <summary>
    /// Queues a frame and, unless a send is already under way, sends it on the calling thread: a write the socket
    /// accepts at once (the usual case) costs no thread switch. A connection too slow to keep up is closed rather than
    /// let the queue grow.
    /// </summary>
    public bool TrySend(byte[] frame)
    {
        bool full;
        lock (_outgoing)
        {
            if (_closeQueued)
            {
                return false;
            }

            full = _outgoing.Count >= _sendCapacity;
            if (!full)
            {
                _outgoing.Enqueue(frame);
                if (_sending)
                {
                    return true;
                }

                _sending = true;
            }
        }

        if (full)
        {
            Close(CloseCodes.TooSlow, "The connection did not keep up with the document's updates; reconnect to resync.");
            return false;
        }

        PumpSends();
        return true;
    }

    /// <summary>Sends what is queued, then a close frame with <paramref name="code"/>; idempotent.</summary>
    public void Close(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closeCode = code;
        _closeReason = reason;
        bool pump;
        lock (_outgoing)
        {
            _closeQueued = true;
            pump = !_sending;
            _sending = true;
        }

        if (pump)
        {
            PumpSends();
        }
    }

    /// <summary>Serves the connection until it closes.</summary>
    public async Task RunAsync(DocumentRegistry registry, CancellationToken aborted)
    {
        var host = registry.Join(this);
        if (host is null)
        {
            Close(CloseCodes.GoingAway, "The server is shutting down; reconnect shortly.");
        }

        ServerLog.ConnectionOpened(_logger, Id, Key, Grant.Role.ToString());
        try
        {
            if (host is not null)
            {
                await ReadLoopAsync(host, aborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            ServerLog.ConnectionSocketError(_logger, e, Id, Key);
        }
        catch (Exception e)
        {
            ServerLog.ConnectionFailed(_logger, e, Id, Key);
            Close(CloseCodes.GoingAway, "Internal error on the server.");
        }
        finally
        {
            host?.Post(new HostMessage.Leave(this));
            Close((int)WebSocketCloseStatus.NormalClosure, string.Empty);
        }

        await DrainAndCloseAsync().ConfigureAwait(false);
        ServerLog.ConnectionClosed(_logger, Id, Key);
    }

    private async Task ReadLoopAsync(DocumentHost host, CancellationToken aborted)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            while (!IsClosing)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= _options.Limits.MaxFrameBytes)
                        {
                            Violation(CloseCodes.FrameTooLarge,
                                $"A message exceeded {_options.Limits.MaxFrameBytes} bytes (MaxFrameBytes).");
                            return;
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, _options.Limits.MaxFrameBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    int room = Math.Min(buffer.Length, _options.Limits.MaxFrameBytes + 1) - length;
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length, Math.Max(1, room)), aborted).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                    if (length > _options.Limits.MaxFrameBytes)
                    {
                        Violation(CloseCodes.FrameTooLarge, $"A message exceeded {_options.Limits.MaxFrameBytes} bytes (MaxFrameBytes).");
                        return;
                    }
                }
                while (!result.EndOfMessage);

                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    Violation(CloseCodes.UnsupportedData, "Text frames are not part of the y-websocket protocol; send binary frames.");
                    return;
                }

                if (!_rate.TryTake())
                {
                    Violation(CloseCodes.RateLimited,
                        $"More than {_options.Limits.MaxMessagesPerSecond} messages per second (MaxMessagesPerSecond); slow down.");
                    return;
                }

                if (!HandleFrame(host, buffer.AsMemory(0, length)))
                {
                    return;
                }

                if (buffer.Length > KeepBufferBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Validates one message and posts it to the host; false when it closed the connection.</summary>
    private bool HandleFrame(DocumentHost host, ReadOnlyMemory<byte> frame)
    {
        ProtocolMessage message;
        try
        {
            message = ProtocolMessage.Decode(frame);
        }
        catch (SyncProtocolException e)
        {
            return Violation(CloseCodes.MalformedMessage, "Malformed message: " + e.Message);
        }

        switch (message.Type)
        {
            case MessageType.Sync when message.SyncType == SyncMessageType.Step1:
            {
                byte[] stateVector = message.Payload.ToArray();
                try
                {
                    // diffing the empty update validates the state vector here, off the document's thread
                    Updates.Diff(EmptyUpdateV1, stateVector, UpdateFormat.V1, _updateLimits);
                }
                catch (YjsFormatException e)
                {
                    return Violation(CloseCodes.MalformedMessage, "Invalid state vector in sync step 1: " + e.Message);
                }

                host.Post(new HostMessage.SyncStep1(this, stateVector));
                return true;
            }

            case MessageType.Sync:
                return HandleUpdate(host, message);

            case MessageType.Awareness:
            {
                List<AwarenessEntry> entries;
                try
                {
                    entries = AwarenessUpdate.Decode(message.Payload.Span, _options.Limits.MaxAwarenessStateBytes);
                }
                catch (SyncProtocolException e) when (e.Error == SyncProtocolError.LimitExceeded)
                {
                    return Violation(CloseCodes.AwarenessStateTooLarge, e.Message + " (MaxAwarenessStateBytes)");
                }
                catch (SyncProtocolException e)
                {
                    return Violation(CloseCodes.MalformedMessage, "Malformed awareness update: " + e.Message);
                }

                if (entries.Count > 0)
                {
                    host.Post(new HostMessage.Awareness(this, entries));
                }

                return true;
            }

            case MessageType.QueryAwareness:
                host.Post(new HostMessage.QueryAwareness(this));
                return true;

            default:
                // auth messages from a client carry nothing for the server
                return true;
        }
    }

    private bool HandleUpdate(DocumentHost host, ProtocolMessage message)
    {
        if (message.Payload.Length > _options.Limits.MaxUpdateBytes)
        {
            return Violation(CloseCodes.UpdateTooLarge,
                $"An update of {message.Payload.Length} bytes exceeds {_options.Limits.MaxUpdateBytes} bytes (MaxUpdateBytes).");
        }

        byte[] update = message.Payload.ToArray();
        DeleteSet? onlyDeletes;
        DecodedUpdate decoded;
        bool hasTypes;
        try
        {
            decoded = Updates.Decode(update, UpdateFormat.V1, _updateLimits);
            if (decoded.Structs.Count == 0 && decoded.DeleteSet.Clients.Count == 0)
            {
                return true; // an empty step 2: nothing to store or relay
            }

            onlyDeletes = decoded.Structs.Count == 0 ? decoded.DeleteSet : null;
            hasTypes = decoded.HasTypes; // their nesting is measured by the host, from where they attach (MaxTypeNesting)
        }
        catch (YjsFormatException e)
        {
            return Violation(CloseCodes.MalformedMessage, "Invalid update: " + e.Message);
        }

        if (!Grant.CanWrite)
        {
            if (onlyDeletes is not null)
            {
                // the step 2 of a read-only client that is in sync holds its whole delete set: only deletions the
                // document does not have are a write attempt, and the host decides that
                host.Post(new HostMessage.ReadOnlyDeletes(this, onlyDeletes));
            }
            else
            {
                DenyWrite();
            }

            return true;
        }

        // relayed as an update message (a step 2 too), once durable
        host.Post(new HostMessage.Update(this, update, onlyDeletes, decoded, hasTypes));
        return true;
    }

    /// <summary>Answers a read-only connection's write with the auth permission-denied message; nothing is applied.</summary>
    public void DenyWrite()
    {
        ServerLog.ReadOnlyWrite(_logger, Id, Key);
        TrySend(SyncMessages.EncodePermissionDenied("This connection is read-only: the update was not applied."));
    }

    private bool Violation(int code, string reason)
    {
        ServerLog.ClosingConnection(_logger, Id, Key, code, reason);
        Close(code, reason);
        return false;
    }

    /// <summary>
    /// The socket's only writer, run by whoever set <see cref="_sending"/>: sends queued frames while the socket accepts
    /// them synchronously, continues after an incomplete send on the thread that completes it, and ends with the close
    /// frame once <see cref="Close"/> was called (after which it never gives up <see cref="_sending"/>).
    /// </summary>
    private void PumpSends()
    {
        while (true)
        {
            byte[]? frame;
            lock (_outgoing)
            {
                if (!_outgoing.TryDequeue(out frame))
                {
                    if (!_closeQueued)
                    {
                        _sending = false;
                        return;
                    }
                }
            }

            if (frame is null)
            {
                _ = SendCloseAsync();
                return;
            }

            ValueTask sent;
            try
            {
                sent = _socket.SendAsync(new ReadOnlyMemory<byte>(frame), WebSocketMessageType.Binary, true, CancellationToken.None);
                if (sent.IsCompletedSuccessfully)
                {
                    sent.GetAwaiter().GetResult();
                    continue;
                }
            }
            catch (Exception e)
            {
                SendFailed(e);
                return;
            }

            _ = ContinueSendsAsync(sent);
            return;
        }
    }

    private async Task ContinueSendsAsync(ValueTask sent)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SendFailed(e);
            return;
        }

        PumpSends();
    }

    private async Task SendCloseAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // a peer that does not answer the close (or stops reading) is cut off after a grace period
                _ = AbortIfNotClosedAsync();
                await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, TruncateReason(_closeReason), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            SendFailed(e);
        }
        finally
        {
            _sendsFinished.TrySetResult();
        }
    }

    /// <summary>The socket failed under a send: nothing more is sent, the socket is aborted (which ends the read loop).</summary>
    private void SendFailed(Exception e)
    {
        if (e is not (WebSocketException or OperationCanceledException or IOException or ObjectDisposedException))
        {
            ServerLog.ConnectionFailed(_logger, e, Id, Key);
        }

        Interlocked.Exchange(ref _closing, 1);
        lock (_outgoing)
        {
            _closeQueued = true;
            _outgoing.Clear();
        }

        _socket.Abort();
        _sendsFinished.TrySetResult();
    }

    private async Task AbortIfNotClosedAsync()
    {
        await Task.Delay(CloseGracePeriod).ConfigureAwait(false);
        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }
    }

    /// <summary>After the read loop ended: lets the writer finish and, if we closed first, waits for the peer's close frame.</summary>
    private async Task DrainAndCloseAsync()
    {
        try
        {
            await _sendsFinished.Task.ConfigureAwait(false);
            var scratch = new byte[1024];
            while (_socket.State == WebSocketState.CloseSent)
            {
                var r = await _socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    /// <summary>A close reason must fit 123 bytes of UTF-8.</summary>
    internal static string TruncateReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= 123)
        {
            return reason;
        }

        var span = reason.AsSpan();
        int len = Math.Min(span.Length, 120);
        while (len > 0 && Encoding.UTF8.GetByteCount(span[..len]) > 120)
        {
            len--;
        }

        if (len > 0 && char.IsHighSurrogate(span[len - 1]))
        {
            len--;
        }

        return string.Concat(span[..len], "...");
    }
}
