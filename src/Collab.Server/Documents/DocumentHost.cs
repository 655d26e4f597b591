using System.Diagnostics;
using System.Threading.Channels;
using Collab.Crdt;
using Collab.Server.Connections;
using Collab.Server.Events;
using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Storage;
using Collab.Sync;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Documents;

/// <summary>
/// One loaded document: a single-threaded mailbox that owns the document state, its awareness table and its
/// connections. Updates are appended to storage (each mailbox pass appends what it queued, with up to
/// <see cref="MaxAppendsInFlight"/> appends in flight; the store commits them in order, across documents in shared
/// transactions) and only applied and broadcast once durable. Nothing here is locked: only the mailbox loop touches
/// the state.
/// </summary>
internal sealed partial class DocumentHost
{
    private readonly Channel<HostMessage> _mailbox = Channel.CreateUnbounded<HostMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<ClientConnection> _connections = [];
    private readonly DocumentRegistry _registry;
    private readonly IDocumentStore _store;
    private readonly CollabOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Awareness _awareness;
    private readonly IWorkspaceEvents _events;
    private readonly PresenceTracker _presence = new();
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IDocumentState? _state;
    private List<HostMessage.Update> _queued = [];
    private long _queuedBytes;
    private long _inFlightBytes;
    private readonly Queue<InFlightAppend> _inFlight = new();
    private readonly List<HostMessage.Update> _durable = [];
    private bool _compacting;
    private int _compactingEntries; // the log entries and bytes the running compaction covers
    private long _compactingBytes;
    private bool _failed;
    private bool _shuttingDown;
    private long _lastSeq;
    private int _logEntries;
    private long _logBytes;
    private long _idleSince;
    private ITimer? _timer;
    private ITimer? _flushTimer;
    private bool _flushTimerArmed;
    private long _lastFlushStarted;
    private bool _deleted;
    private HostRequest.Delete? _pendingDelete;
    private readonly DecoderLimits _limits;

    /// <summary>
    /// This document's compaction thresholds are the configured ones times this: 1 plus a random fraction up to
    /// <see cref="DocumentOptions.CompactionJitter"/>, drawn anew at each compaction. Documents loaded together (all
    /// of a room's documents after a restart, every document of a load run) and edited at the same pace otherwise reach
    /// their thresholds in the same second and compact one after another (with PostgreSQL at 20 edits/s, 50 documents:
    /// 49 compactions in one second, 0.45 s of PostgreSQL's time, p99 that second 91 ms against 9-25 in the others).
    /// </summary>
    private double _compactionScale;

    /// <summary>Messages handled before queued updates go to storage, however many more are waiting.</summary>
    private const int MaxMessagesPerPass = 256;

    /// <summary>
    /// Appends one document may have in flight. The store commits them in the order they were started, so the next
    /// one need not wait for the last: what arrives while a commit runs goes into the store's next commit instead of
    /// the one after. Past this many, updates queue here and go together in one append.
    /// </summary>
    private const int MaxAppendsInFlight = 4;

    public DocumentHost(DocumentKey key, DocumentRegistry registry, IDocumentStore store, CollabOptions options, ILogger logger, TimeProvider time,
        IWorkspaceEvents events)
    {
        _events = events;
        Key = key;
        _registry = registry;
        _store = store;
        _options = options;
        _logger = logger;
        _time = time;
        _awareness = new Awareness(time: time, outdatedTimeout: options.Documents.AwarenessTimeout);
        _idleSince = time.GetTimestamp();
        _limits = DecoderLimitsFor(options);
        _compactionScale = CompactionScale(options);
    }

    private static double CompactionScale(CollabOptions options) =>
        1 + Math.Max(0, options.Documents.CompactionJitter) * Random.Shared.NextDouble();

    public DocumentKey Key { get; }

    /// <summary>Set under the registry's lock once the host accepts no more joins.</summary>
    public bool Closed { get; set; }

    /// <summary>Joins posted (under the registry's lock) and not yet handled: the host may not unload while any is pending.</summary>
    public int PendingJoins;

    public Task Completion => _completed.Task;

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Updates waiting for the next append (diagnostics and tests).</summary>
    public int QueuedUpdates => Volatile.Read(ref _queuedCount);

    private int _queuedCount;

    private int _connectionCount;

    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>Posts to the mailbox; false once the host has finished (the message is dropped).</summary>
    public bool Post(HostMessage message) => _mailbox.Writer.TryWrite(message);

    private async Task RunAsync()
    {
        try
        {
            if (!await LoadAsync().ConfigureAwait(false))
            {
                return;
            }

            var tick = TickInterval(_options);
            _timer = _time.CreateTimer(static s => ((DocumentHost)s!).Post(HostMessage.Tick.Instance), this, tick, tick);
            while (await _mailbox.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // everything already waiting is handled before storage work starts, so the updates that arrived while
                // the host was busy go in one append and one broadcast; a bounded pass keeps a busy mailbox from
                // holding them back
                for (int handled = 0; handled < MaxMessagesPerPass && _mailbox.Reader.TryRead(out var message); handled++)
                {
                    Handle(message);
                }

                BroadcastDurable();
                StartStorageWork();
            }
        }
        catch (Exception e)
        {
            ServerLog.HostFailed(_logger, e, Key);
            Fail(CloseCodes.DocumentUnavailable, "The document failed on the server; reconnect to load it again.");
            DrainAfterFailure();
        }
        finally
        {
            if (_timer is not null)
            {
                await _timer.DisposeAsync().ConfigureAwait(false);
            }

            if (_flushTimer is not null)
            {
                await _flushTimer.DisposeAsync().ConfigureAwait(false);
            }

            _completed.TrySetResult();
        }
    }

    private async Task<bool> LoadAsync()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // a REST delete of this document may still be removing it from storage: load what it leaves
            await _registry.DeletionFinished(Key).ConfigureAwait(false);
            var stored = await _store.LoadAsync(Key).ConfigureAwait(false);
            var log = stored?.Log ?? [];
            var payloads = new List<byte[]>(log.Count);
            foreach (var entry in log)
            {
                payloads.Add(entry.Payload);
                _logBytes += entry.Payload.Length;
            }

            _state = string.Equals(_options.Documents.State, "merged", StringComparison.OrdinalIgnoreCase)
                ? new MergedUpdateState(stored?.Snapshot, payloads, _options.Documents.MergeThreshold, _limits)
                : new LiveDocState(stored?.Snapshot, payloads, _limits);
            _logEntries = log.Count;
            _lastSeq = stored?.LastSeq ?? 0;
            ServerLog.DocumentLoaded(_logger, Key, stored?.Snapshot?.Length ?? 0, log.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }
        catch (Exception e)
        {
            ServerLog.DocumentLoadFailed(_logger, e, Key);
            Fail(CloseCodes.DocumentUnavailable, "The document could not be loaded from storage; try again later.");
            DrainAfterFailure();
            return false;
        }
    }

    private void Handle(HostMessage message)
    {
        switch (message)
        {
            case HostRequest r:
                OnRequest(r);
                break;
            case HostMessage.Update m:
                OnUpdate(m);
                break;
            case HostMessage.Awareness m:
                OnAwareness(m.Connection, m.Entries);
                break;
            case HostMessage.SyncStep1 m:
                OnSyncStep1(m.Connection, m.StateVector);
                break;
            case HostMessage.FlushCompleted m:
                OnFlushCompleted(m);
                break;
            case HostMessage.Join m:
                OnJoin(m.Connection);
                break;
            case HostMessage.Leave m:
                OnLeave(m.Connection);
                break;
            case HostMessage.ReadOnlyDeletes m:
                if (IsJoined(m.Connection) && !_state!.CoversDeletions(m.Deletes))
                {
                    m.Connection.DenyWrite();
                }

                break;
            case HostMessage.QueryAwareness m:
                SendAllAwareness(m.Connection);
                break;
            case HostMessage.CompactionCompleted m:
                OnCompactionCompleted(m);
                break;
            case HostMessage.Tick:
                OnTick();
                break;
            case HostMessage.FlushDue:
                _flushTimerArmed = false;
                break;
            case HostMessage.Shutdown:
                OnShutdown();
                break;
        }
    }

    private void OnJoin(ClientConnection connection)
    {
        Interlocked.Decrement(ref PendingJoins);
        if (_deleted)
        {
            connection.Close(CloseCodes.DocumentDeleted, DeletedReason);
            return;
        }

        if (_shuttingDown)
        {
            connection.Close(CloseCodes.GoingAway, "The server is shutting down; reconnect shortly.");
            return;
        }

        if (_connections.Count >= _options.Limits.MaxConnectionsPerDocument)
        {
            ServerLog.ClosingConnection(_logger, connection.Id, Key, CloseCodes.DocumentFull, "connections per document limit");
            connection.Close(CloseCodes.DocumentFull,
                $"This document already has {_connections.Count} connections (MaxConnectionsPerDocument); try again later.");
            return;
        }

        _connections.Add(connection);
        connection.Joined = true;
        Volatile.Write(ref _connectionCount, _connections.Count);
        connection.TrySend(SyncMessages.EncodeSyncStep1(_state!.EncodeStateVector()));
        if (_awareness.Count > 0)
        {
            SendAllAwareness(connection);
        }
    }

    private void OnLeave(ClientConnection connection)
    {
        if (!connection.Joined)
        {
            return;
        }

        connection.Joined = false;
        _connections.Remove(connection);

        Volatile.Write(ref _connectionCount, _connections.Count);
        if (connection.AwarenessClients.Count > 0)
        {
            var change = _awareness.Remove(connection.AwarenessClients);
            connection.AwarenessClients.Clear();
            BroadcastAwareness(change);
            RaisePresence(change);
        }

        if (_connections.Count == 0)
        {
            _idleSince = _time.GetTimestamp();
        }
    }

    private void OnSyncStep1(ClientConnection connection, byte[] stateVector)
    {
        if (!IsJoined(connection))
        {
            return;
        }

        byte[] diff;
        try
        {
            diff = _state!.EncodeStateAsUpdate(stateVector);
        }
        catch (YjsFormatException e)
        {
            connection.Close(CloseCodes.MalformedMessage, "Invalid state vector in sync step 1: " + e.Message);
            return;
        }

        connection.TrySend(SyncMessages.EncodeSyncStep2(diff));
    }

    private void OnUpdate(HostMessage.Update message)
    {
        if (_shuttingDown || _failed || (message.Connection is { } sender && !IsJoined(sender)))
        {
            message.Completion?.TrySetException(Unavailable());
            return;
        }

        if (message.OnlyDeletes is { } deletes && _state!.CoversDeletions(deletes))
        {
            return; // nothing new: not stored, not relayed (yjs would not emit an update either)
        }

        long size = _state!.Size + _queuedBytes + _inFlightBytes + message.Payload.Length;
        if (size > _options.Limits.MaxDocumentBytes)
        {
            // unmerged updates may overlap: measure the merged state before refusing
            _state.EncodeSnapshot();
            size = _state.Size + _queuedBytes + _inFlightBytes + message.Payload.Length;
        }

        if (size > _options.Limits.MaxDocumentBytes)
        {
            Refuse(message, CloseCodes.DocumentTooLarge, 413,
                $"The update would grow the document to about {size} bytes, over the limit of {_options.Limits.MaxDocumentBytes} (MaxDocumentBytes); it was not applied.");
            return;
        }

        if (message.Typed is { } typed && _state.TypeNestingWith(typed, Unapplied()) is var nesting && nesting > _options.Limits.MaxTypeNesting)
        {
            Refuse(message, CloseCodes.TypeNestingTooDeep, 422,
                $"The update would nest shared types {nesting} levels deep, over {_options.Limits.MaxTypeNesting} (MaxTypeNesting); it was not applied.");
            return;
        }

        _queued.Add(message);
        _queuedBytes += message.Payload.Length;
        Volatile.Write(ref _queuedCount, _queued.Count);
    }

    /// <summary>Refuses an update over a limit: closes the sending connection, or fails a REST caller with <paramref name="status"/>.</summary>
    private void Refuse(HostMessage.Update message, int closeCode, int status, string reason)
    {
        if (message.Connection is null)
        {
            message.Completion?.TrySetException(new DocumentUnavailableException(status, reason));
            return;
        }

        ServerLog.ClosingConnection(_logger, message.Connection.Id, Key, closeCode, reason);
        message.Connection.Close(closeCode, reason);
    }

    /// <summary>Accepted updates holding shared types that are not applied to the state yet (queued or being appended).</summary>
    private IEnumerable<Crdt.DecodedUpdate> Unapplied()
    {
        foreach (var append in _inFlight)
        {
            foreach (var update in append.Batch)
            {
                if (update.Typed is { } typed)
                {
                    yield return typed;
                }
            }
        }

        foreach (var update in _queued)
        {
            if (update.Typed is { } typed)
            {
                yield return typed;
            }
        }
    }

    /// <summary>
    /// Starts the next storage work: an append of everything queued (unless the appends in flight are at their cap or
    /// the flush interval holds it back), and a compaction once the log has passed its threshold and none runs.
    /// </summary>
    /// <remarks>
    /// Appends go on while the document compacts: the snapshot is the state at <see cref="_lastSeq"/> (updates are
    /// applied once durable), so the compaction covers exactly the seqs up to it and every append in flight or started
    /// later gets a higher one; the stores take the two concurrently (a contract test races them). Before, a
    /// compacting document appended nothing, and every edit to it waited for the compaction and then its own append
    /// (in the load benchmark, 50 documents compact every few seconds; with PostgreSQL at 20 edits/s in a slow phase of
    /// the machine, p99 was 141 and 121.5 ms with compaction on, 77.8 and 101.5 with it off).
    /// </remarks>
    private void StartStorageWork()
    {
        if (_failed)
        {
            return;
        }

        if (_queued.Count > 0 && _inFlight.Count < MaxAppendsInFlight && !FlushLater())
        {
            _lastFlushStarted = _time.GetTimestamp();
            var batch = _queued;
            _queued = [];
            Volatile.Write(ref _queuedCount, 0);
            _inFlight.Enqueue(new InFlightAppend(batch, _queuedBytes));
            _inFlightBytes += _queuedBytes;
            _queuedBytes = 0;
            _ = FlushAsync(batch);
        }

        if (!_compacting && !_shuttingDown && _pendingDelete is null
            && (_logEntries >= _options.Documents.CompactionLogEntries * _compactionScale
                || _logBytes >= _options.Documents.CompactionLogBytes * _compactionScale)
            && _registry.CompactionSlots.Wait(0)) // none free: a later pass (at the latest the next tick) tries again
        {
            byte[] snapshot;
            try
            {
                snapshot = _state!.EncodeSnapshot();
            }
            catch (Exception e)
            {
                _registry.CompactionSlots.Release();
                if (e is not YjsFormatException)
                {
                    throw;
                }

                ServerLog.CompactionFailed(_logger, e, Key);
                _logEntries = 0;
                _logBytes = 0;
                return;
            }

            _compacting = true;
            (_compactingEntries, _compactingBytes) = (_logEntries, _logBytes);
            _compactionScale = CompactionScale(_options);
            _ = CompactAsync(snapshot, _lastSeq);
        }
    }

    /// <summary>True when the last append started less than the flush interval ago: a timer brings the queue back then.</summary>
    private bool FlushLater()
    {
        var interval = _options.Documents.FlushInterval;
        if (interval <= TimeSpan.Zero || _shuttingDown || _pendingDelete is not null)
        {
            return false;
        }

        var wait = interval - _time.GetElapsedTime(_lastFlushStarted);
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        if (!_flushTimerArmed)
        {
            _flushTimer ??= _time.CreateTimer(static s => ((DocumentHost)s!).Post(HostMessage.FlushDue.Instance), this,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _flushTimer.Change(wait, Timeout.InfiniteTimeSpan);
            _flushTimerArmed = true;
        }

        return true;
    }

    private async Task FlushAsync(List<HostMessage.Update> batch)
    {
        long seq = 0;
        Exception? error = null;
        try
        {
            var now = _time.GetUtcNow();
            var records = new UpdateRecord[batch.Count];
            for (int i = 0; i < batch.Count; i++)
            {
                records[i] = HostMessage.ToRecord(batch[i], now);
            }

            seq = await _store.AppendAsync(Key, records).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }

        var completed = new HostMessage.FlushCompleted(batch, seq, error);
        if (!Post(completed))
        {
            CompleteOrphaned(completed); // the host failed (or was deleted) meanwhile
        }
    }

    private async Task CompactAsync(byte[] snapshot, long upToSeq)
    {
        Exception? error = null;
        try
        {
            await _store.CompactAsync(Key, snapshot, upToSeq).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            _registry.CompactionSlots.Release();
        }

        Post(new HostMessage.CompactionCompleted(upToSeq, snapshot.Length, error));
    }

    private void OnFlushCompleted(HostMessage.FlushCompleted completed)
    {
        foreach (var append in _inFlight)
        {
            if (ReferenceEquals(append.Batch, completed.Batch))
            {
                append.Result = completed;
                break;
            }
        }

        // in the order they were started (their continuations may post out of order): seqs only grow
        while (_inFlight.TryPeek(out var head) && head.Result is { } result)
        {
            _inFlight.Dequeue();
            _inFlightBytes -= head.Bytes;
            if (_pendingDelete is not null)
            {
                FailCompletions(result.Batch, DocumentDeleted());
                continue;
            }

            if (result.Error is not null)
            {
                FailCompletions(result.Batch, Unavailable());
                ServerLog.AppendFailed(_logger, result.Error, Key, result.Batch.Count);
                // Clients keep what the server did not confirm and resend it in the sync handshake of their next connection.
                Fail(CloseCodes.DocumentUnavailable, "The server could not store an update; reconnect to retry.");
                DrainAfterFailure();
                return;
            }

            _lastSeq = result.LastSeq;
            // one append gives a batch contiguous seqs ending at LastSeq
            long seq = result.LastSeq - result.Batch.Count;
            foreach (var update in result.Batch)
            {
                seq++;
                _state!.Apply(update.Payload, update.TakeDecoded());
                _logEntries++;
                _logBytes += update.Payload.Length;
                update.Completion?.TrySetResult(seq);
            }

            _durable.AddRange(result.Batch);
        }

        if (_pendingDelete is not null)
        {
            if (!StorageBusy)
            {
                FinishDelete();
            }

            return;
        }

        if (_shuttingDown)
        {
            TryFinishShutdown();
        }
    }

    /// <summary>
    /// What the appends completed in this pass made durable, applied already: one broadcast for all of it (one
    /// message per pass however many appends completed in it).
    /// </summary>
    private void BroadcastDurable()
    {
        if (_durable.Count == 0)
        {
            return;
        }

        Broadcast(BroadcastFrame(_durable));
        _events.DocumentChanged(Key, _state!.Size, _lastSeq, _durable[^1].Origin);
        _registry.Changes.Raise(Key);
        _durable.Clear();
    }

    /// <summary>
    /// An append that completed after the host stopped (it failed, or the document was deleted): its callers still
    /// learn the outcome. Its updates are stored if it succeeded; clients get them when they reload the document.
    /// </summary>
    private static void CompleteOrphaned(HostMessage.FlushCompleted completed)
    {
        long seq = completed.LastSeq - completed.Batch.Count;
        foreach (var update in completed.Batch)
        {
            seq++;
            if (completed.Error is null)
            {
                update.Completion?.TrySetResult(seq);
            }
            else
            {
                update.Completion?.TrySetException(Unavailable());
            }
        }
    }

    private bool StorageBusy => _inFlight.Count > 0 || _compacting;

    private sealed class InFlightAppend(List<HostMessage.Update> batch, long bytes)
    {
        public List<HostMessage.Update> Batch { get; } = batch;
        public long Bytes { get; } = bytes;
        public HostMessage.FlushCompleted? Result { get; set; }
    }

    private void OnCompactionCompleted(HostMessage.CompactionCompleted completed)
    {
        _compacting = false;
        if (_pendingDelete is not null)
        {
            if (!StorageBusy)
            {
                FinishDelete();
            }

            return;
        }

        if (completed.Error is not null)
        {
            ServerLog.CompactionFailed(_logger, completed.Error, Key);
        }
        else
        {
            ServerLog.Compacted(_logger, Key, completed.UpToSeq, completed.SnapshotBytes);
        }

        // what was appended while it ran stays counted; after a failure, the retry comes after another threshold's worth
        _logEntries -= _compactingEntries;
        _logBytes -= _compactingBytes;

        // the mailbox loop starts the next storage work after this pass (what queued meanwhile)
        if (_shuttingDown)
        {
            TryFinishShutdown();
        }
    }

    private void OnAwareness(ClientConnection connection, List<AwarenessEntry> entries)
    {
        if (!IsJoined(connection))
        {
            return;
        }

        var change = _awareness.Apply(entries);
        if (change.IsEmpty)
        {
            return;
        }

        // the states a connection introduced are removed when it closes
        foreach (ulong id in change.Added)
        {
            connection.AwarenessClients.Add(id);
        }

        foreach (ulong id in change.Updated)
        {
            connection.AwarenessClients.Add(id);
        }

        foreach (ulong id in change.Removed)
        {
            connection.AwarenessClients.Remove(id);
        }

        BroadcastAwareness(change);
        RaisePresence(change);
    }

    /// <summary>Tells the workspace hub who is here, when an awareness change added, removed or changed a <c>user</c> field.</summary>
    private void RaisePresence(AwarenessChange change)
    {
        if (_presence.Apply(_awareness, change))
        {
            _events.PresenceChanged(Key, _presence.Users());
        }
    }

    private void SendAllAwareness(ClientConnection connection)
    {
        if (_awareness.Count == 0 || !IsJoined(connection))
        {
            return;
        }

        connection.TrySend(SyncMessages.EncodeAwareness(_awareness.EncodeUpdate(_awareness.ClientsWithState())));
    }

    private void BroadcastAwareness(AwarenessChange change)
    {
        if (change.IsEmpty || _connections.Count == 0)
        {
            return;
        }

        Broadcast(SyncMessages.EncodeAwareness(_awareness.EncodeUpdate(change.All())));
    }

    /// <summary>
    /// One update message for everything a flush made durable: a single update is relayed as it came; several are
    /// merged (what <c>Y.mergeUpdates</c> does), so a busy document sends each connection one message per flush
    /// instead of one per update, and the busier it is, the more each message carries.
    /// </summary>
    private byte[] BroadcastFrame(List<HostMessage.Update> batch)
    {
        if (batch.Count == 1)
        {
            return batch[0].Frame;
        }

        var payloads = new byte[batch.Count][];
        for (int i = 0; i < payloads.Length; i++)
        {
            payloads[i] = batch[i].Payload;
        }

        return SyncMessages.EncodeUpdate(Updates.Merge(payloads, UpdateFormat.V1, _limits));
    }

    /// <summary>Writes the same frame, serialized once, to every connection (the sender included: y-websocket clients use the echo).</summary>
    private void Broadcast(byte[] frame)
    {
        for (int i = 0; i < _connections.Count; i++)
        {
            _connections[i].TrySend(frame);
        }
    }

    private void OnTick()
    {
        var outdated = _awareness.RemoveOutdated();
        if (!outdated.IsEmpty)
        {
            foreach (var connection in _connections)
            {
                foreach (ulong id in outdated.Removed)
                {
                    connection.AwarenessClients.Remove(id);
                }
            }

            BroadcastAwareness(outdated);
            RaisePresence(outdated);
        }

        if (_connections.Count == 0 && !StorageBusy && _queued.Count == 0
            && _time.GetElapsedTime(_idleSince) >= _options.Documents.IdleUnloadDelay)
        {
            TryUnload();
        }
    }

    private void TryUnload()
    {
        if (!_registry.TryRemove(this))
        {
            return; // a join is on its way
        }

        ServerLog.DocumentUnloaded(_logger, Key);
        _mailbox.Writer.TryComplete();
    }

    private void OnShutdown()
    {
        _shuttingDown = true;
        foreach (var connection in _connections.ToArray())
        {
            connection.Close(CloseCodes.GoingAway, "The server is shutting down; reconnect shortly.");
        }

        TryFinishShutdown();
    }

    private void TryFinishShutdown()
    {
        if (StorageBusy || _queued.Count > 0)
        {
            StartStorageWork();
            return;
        }

        _registry.ForceRemove(this);
        _mailbox.Writer.TryComplete();
    }

    /// <summary>Closes every connection and stops accepting joins; the document is not served until a new host loads it.</summary>
    private void Fail(int code, string reason)
    {
        _failed = true;
        _registry.ForceRemove(this);
        foreach (var connection in _connections)
        {
            connection.Close(code, reason);
        }

        _connections.Clear();
        Volatile.Write(ref _connectionCount, 0);
        if (_presence.Clear())
        {
            _events.PresenceChanged(Key, []);
        }

        FailCompletions(_queued, Unavailable());
        _queued.Clear();
        Volatile.Write(ref _queuedCount, 0);
    }

    /// <summary>After a failure, answers joins already posted with a close and finishes the mailbox.</summary>
    private void DrainAfterFailure()
    {
        // Closed is set (under the registry's lock) by ForceRemove, so no new message can be a Join posted after this
        _mailbox.Writer.TryComplete();
        while (_mailbox.Reader.TryRead(out var message))
        {
            if (message is HostMessage.Join join)
            {
                Interlocked.Decrement(ref PendingJoins);
                join.Connection.Close(CloseCodes.DocumentUnavailable, "The document could not be loaded from storage; try again later.");
            }
            else if (message is HostRequest request)
            {
                Interlocked.Decrement(ref PendingJoins);
                request.Fail(Unavailable());
            }
            else if (message is HostMessage.FlushCompleted completed)
            {
                CompleteOrphaned(completed);
            }
        }

        // appends that completed out of order behind the one that failed; the rest post to the closed mailbox and
        // complete their callers themselves
        foreach (var append in _inFlight)
        {
            if (append.Result is { } result)
            {
                CompleteOrphaned(result);
            }
        }
    }

    private bool IsJoined(ClientConnection connection) => connection.Joined && !_failed;

    private static TimeSpan TickInterval(CollabOptions options)
    {
        var candidate = TimeSpan.FromTicks(Math.Min(options.Documents.AwarenessTimeout.Ticks / 10, options.Documents.IdleUnloadDelay.Ticks / 4));
        return candidate < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20)
            : candidate > TimeSpan.FromSeconds(3) ? TimeSpan.FromSeconds(3) : candidate;
    }

    internal static DecoderLimits DecoderLimitsFor(CollabOptions options) => new()
    {
        MaxInputBytes = (int)Math.Min(int.MaxValue, Math.Max(options.Limits.MaxDocumentBytes, options.Limits.MaxUpdateBytes) * 2),
    };
}

