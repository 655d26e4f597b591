using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Runtime;
using System.Threading.Channels;
using Collab.Crdt;
using Collab.Server.Auth;
using Collab.Server.Connections;
using Collab.Server.Events;
using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Server.Storage;
using Collab.Storage;
using Collab.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Collab.Server.Documents;

/// <summary>
/// Runs the sync path before the server listens, so that the JIT compiles it then and not while the first clients
/// wait: a started server's first seconds under load were the JIT's (2.8 s of compiling in the first 7 s of a
/// 400-client run, p99 about twice the steady state's). A private document registry over a private in-memory store
/// serves a few documents to in-process y-websocket clients on WebSockets over in-memory pipes (the runtime's
/// WebSocket, as Kestrel's), which sync, edit maps and text, set awareness and converge, round after round; each round
/// the configured store also runs its append path in a transaction it rolls back (<see cref="IStoreWarmUp"/>). It ends
/// once the runtime compiles almost nothing new, or after <see cref="WarmUpOptions.MaxDuration"/>. Nothing is stored,
/// nothing reaches the registry that serves clients or the workspace events, and a failure is only logged.
/// </summary>
internal sealed class StartupWarmUp(IOptions<CollabOptions> options, IDocumentStore store, IHostApplicationLifetime lifetime, ILogger<StartupWarmUp> logger)
    : IHostedService
{
    private const int Documents = 3;
    private const int ClientsPerDocument = 3;
    private const int EditsPerRound = 8;

    /// <summary>A round in which the runtime compiled at least this many methods is still warming up.</summary>
    private const int BusyRoundMethods = 20;

    /// <summary>
    /// The warm-up ends once, after <see cref="MinDuration"/>, this long passed without a busy round. The runtime compiles
    /// in waves (each method at tier 0, then instrumented, then optimized, each after its calls were counted) with
    /// lulls of up to 800 ms between them in the first two seconds and up to half a second later; on this project's
    /// 2-core machine the waves ended 4-5 s after the warm-up started.
    /// </summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(750);

    private static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.WarmUp;
        if (!settings.Enabled || settings.MaxDuration <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            var result = await RunAsync(options.Value, store as IStoreWarmUp, settings.MaxDuration, lifetime, cancellationToken).ConfigureAwait(false);
            ServerLog.WarmedUp(logger, (long)result.Elapsed.TotalMilliseconds, result.Rounds, result.Edits, result.StoreRounds, result.MethodsCompiled, result.Converged);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the warm-up only saves the first clients some waiting: a failure of it is logged, not fatal
            ServerLog.WarmUpFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// What one warm-up did: rounds run, edits made, rounds of the configured store's append path (rolled back), methods
    /// the runtime compiled meanwhile, and whether every client of every document ended with the same content.
    /// </summary>
    internal sealed record Result(TimeSpan Elapsed, int Rounds, int Edits, int StoreRounds, long MethodsCompiled, bool Converged);

    internal static async Task<Result> RunAsync(CollabOptions configured, IStoreWarmUp? store, TimeSpan maxDuration, IHostApplicationLifetime lifetime,
        CancellationToken ct)
    {
        // its own clock, whatever the server's is (tests give it a manual one): the warm-up waits in real time
        var time = TimeProvider.System;
        var started = Stopwatch.GetTimestamp();
        long compiledAtStart = JitInfo.GetCompiledMethodCount();
        var settings = ScratchOptions(configured);
        var registry = new DocumentRegistry(new InMemoryDocumentStore(), Microsoft.Extensions.Options.Options.Create(settings), NullLoggerFactory.Instance,
            time, lifetime, NullWorkspaceEvents.Instance);
        var clients = new List<Client>();
        int rounds = 0, edits = 0, storeRounds = 0;
        bool converged = false;
        try
        {
            for (int d = 0; d < Documents; d++)
            {
                for (int c = 0; c < ClientsPerDocument; c++)
                {
                    clients.Add(Client.Connect(new DocumentKey("warm-up", $"d{d}"), registry, settings, time));
                }
            }

            long lastBusy = Stopwatch.GetTimestamp();
            long compiledBefore = JitInfo.GetCompiledMethodCount();
            while (Stopwatch.GetElapsedTime(started) is var elapsed && elapsed < maxDuration
                   && (elapsed < MinDuration || Stopwatch.GetElapsedTime(lastBusy) < QuietPeriod))
            {
                ct.ThrowIfCancellationRequested();
                foreach (var client in clients)
                {
                    client.Edit(rounds, EditsPerRound);
                    edits += EditsPerRound;
                }

                // what the round sent arrives, is stored, merged and broadcast meanwhile; the configured store runs its
                // append path without keeping anything; the runtime's background tier-up compiles what the rounds
                // before made hot
                var pause = Task.Delay(TimeSpan.FromMilliseconds(50), time, ct);
                if (store is not null)
                {
                    await store.WarmUpAsync(ct).ConfigureAwait(false);
                    storeRounds++;
                }

                await pause.ConfigureAwait(false);
                rounds++;
                long compiled = JitInfo.GetCompiledMethodCount();
                if (compiled - compiledBefore >= BusyRoundMethods)
                {
                    lastBusy = Stopwatch.GetTimestamp();
                }

                compiledBefore = compiled;
            }

            converged = await ConvergedAsync(clients, TimeSpan.FromSeconds(2), time, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await registry.ShutdownAsync().ConfigureAwait(false);
        }

        // the warm-up's documents, sockets and garbage grew the heap by some 40-50 MB, which the GC would keep as
        // slack for long: returned before the server listens (one aggressive collection, tens of milliseconds)
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        return new Result(Stopwatch.GetElapsedTime(started), rounds, edits, storeRounds, JitInfo.GetCompiledMethodCount() - compiledAtStart, converged);
    }

    /// <summary>The configured limits and protocol settings, with compaction early (so that it runs too) and no keep-alive.</summary>
    private static CollabOptions ScratchOptions(CollabOptions configured) => new()
    {
        Limits = configured.Limits,
        Connections = new ConnectionOptions
        {
            PingInterval = TimeSpan.Zero,
            PongTimeout = configured.Connections.PongTimeout,
            SendQueueCapacity = configured.Connections.SendQueueCapacity,
        },
        Documents = new DocumentOptions
        {
            State = configured.Documents.State,
            MergeThreshold = configured.Documents.MergeThreshold,
            CompactionLogEntries = 200,
            CompactionConcurrency = 1,
            FlushInterval = TimeSpan.Zero,
            ShutdownFlushTimeout = TimeSpan.FromSeconds(2),
        },
    };

    /// <summary>Every document's clients hold the same content (they keep applying what arrives until then).</summary>
    private static async Task<bool> ConvergedAsync(List<Client> clients, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            bool same = clients.GroupBy(c => c.Key).All(g => g.Select(c => c.Content()).Distinct().Count() == 1);
            if (same || Stopwatch.GetElapsedTime(started) >= timeout)
            {
                return same;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A y-websocket client in process: a document, its awareness, and the client end of a WebSocket whose server end is
    /// a <see cref="ClientConnection"/> of the private registry. Like the provider, it answers the server's step 1 with
    /// a step 2, sends each local transaction as an update and applies what arrives.
    /// </summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly Doc _doc = new();
        private readonly Awareness _awareness;
        private readonly WebSocket _socket;
        private readonly Task _server;
        private readonly Task _reader;
        private readonly Lock _lock = new(); // the document and the awareness: edits from the warm-up loop, updates from the reader
        private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Task _writer;
        private readonly CancellationTokenSource _stop = new();

        private Client(DocumentKey key, WebSocket socket, Task server)
        {
            Key = key;
            _socket = socket;
            _server = server;
            _awareness = new Awareness(_doc.ClientId);
            _doc.Update += e =>
            {
                if (e.Origin != this)
                {
                    Send(SyncMessages.EncodeUpdate(e.Update));
                }
            };
            _reader = Task.Run(ReadAsync);
            _writer = Task.Run(WriteAsync);
        }

        public DocumentKey Key { get; }

        public static Client Connect(DocumentKey key, DocumentRegistry registry, CollabOptions settings, TimeProvider time)
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            var serverSocket = WebSocket.CreateFromStream(new DuplexPipeStream(toServer.Reader, toClient.Writer),
                new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            var clientSocket = WebSocket.CreateFromStream(new DuplexPipeStream(toClient.Reader, toServer.Writer),
                new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
            var connection = new ClientConnection(serverSocket, key, AccessGrant.Anonymous, settings, NullLogger.Instance, time);
            var server = Task.Run(() => connection.RunAsync(registry, CancellationToken.None));
            var client = new Client(key, clientSocket, server);
            client.Send(SyncMessages.EncodeSyncStep1(client.StateVector()));
            return client;
        }

        /// <summary>One round's edits: map entries holding JSON values, text typed and deleted, an awareness change.</summary>
        public void Edit(int round, int count)
        {
            lock (_lock)
            {
                var map = _doc.GetMap("m");
                var text = _doc.GetText("t");
                for (int i = 0; i < count; i++)
                {
                    _doc.Transact(_ =>
                    {
                        map.Set($"c{_doc.ClientId}", new JsObject { ["s"] = (double)(round * count + i), ["t"] = new List<object?> { (double)round, (double)i, "x" } });
                        text.Insert(Math.Min(text.Length, i), "ab");
                        if (text.Length > 64)
                        {
                            text.Delete(0, 16);
                        }
                    });
                }

                _awareness.SetLocalState("{\"user\":{\"name\":\"warm-up\",\"round\":" + round + "}}");
                Send(SyncMessages.EncodeAwareness(_awareness.EncodeUpdate([_doc.ClientId])));
            }

            if (round % 4 == 0)
            {
                Send(SyncMessages.EncodeQueryAwareness());
            }
        }

        public string Content()
        {
            lock (_lock)
            {
                return _doc.GetText("t").ToString() + "|" + Convert.ToHexString(_doc.EncodeStateVector());
            }
        }

        private byte[] StateVector()
        {
            lock (_lock)
            {
                return _doc.EncodeStateVector();
            }
        }

        // called inside edits (the document's update event), under the lock: queued in order, written by one loop
        private void Send(byte[] frame) => _outgoing.Writer.TryWrite(frame);

        private async Task WriteAsync()
        {
            try
            {
                await foreach (var frame in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
                }

                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // the server end closed the connection
            }
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    int length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                        length += result.Count;
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    Receive(ProtocolMessage.Decode(buffer.AsMemory(0, length)));
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // closed
            }
        }

        private void Receive(ProtocolMessage message)
        {
            switch (message.Type)
            {
                case MessageType.Sync when message.SyncType == SyncMessageType.Step1:
                    byte[] diff;
                    lock (_lock)
                    {
                        diff = _doc.EncodeStateAsUpdate(message.Payload.ToArray());
                    }

                    Send(SyncMessages.EncodeSyncStep2(diff));
                    break;
                case MessageType.Sync:
                    lock (_lock)
                    {
                        _doc.ApplyUpdate(message.Payload.ToArray(), origin: this);
                    }

                    break;
                case MessageType.Awareness:
                    var entries = AwarenessUpdate.Decode(message.Payload.Span, int.MaxValue);
                    lock (_lock)
                    {
                        _awareness.Apply(entries);
                    }

                    break;
            }
        }

        /// <summary>Sends what is queued, closes, and waits (at most 2 s) for the server end to finish.</summary>
        public async ValueTask DisposeAsync()
        {
            _outgoing.Writer.TryComplete();
            await Task.WhenAny(Task.WhenAll(_writer, _server, _reader), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            await _stop.CancelAsync().ConfigureAwait(false);
            _socket.Abort();
            _socket.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>One end of an in-memory duplex byte stream: reads what the other end writes.</summary>
    private sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
    {
        private readonly Stream _input = input.AsStream();
        private readonly Stream _output = output.AsStream();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Complete();
                output.Complete();
            }

            base.Dispose(disposing);
        }
    }
}
