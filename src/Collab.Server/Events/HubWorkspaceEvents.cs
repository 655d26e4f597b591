using Collab.Server.Auth;
using System.Text.Json;
using System.Threading.Channels;
using Collab.Server.Hubs;
using Collab.Server.Options;
using Collab.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Server.Events;

/// <summary>
/// Delivers workspace events to the groups of <see cref="WorkspaceHub"/>. Callers (document host mailbox loops, REST
/// requests) only enqueue; one background loop sends, so a slow hub client never stalls a document. The loop also
/// throttles <c>DocumentChanged</c> per document (leading event at once, then at most one per interval carrying the
/// latest value) and remembers each document's presence for clients that join later.
/// </summary>
internal sealed class HubWorkspaceEvents(IHubContext<WorkspaceHub> hub, IOptions<CollabOptions> options, TimeProvider time,
    ILogger<HubWorkspaceEvents> logger)
    : BackgroundService, IWorkspaceEvents
{
    private const string PresenceChangedMethod = "PresenceChanged";
    private const string DocumentChangedMethod = "DocumentChanged";
    private const string SnapshotCreatedMethod = "SnapshotCreated";
    private const string DocumentRestoredMethod = "DocumentRestored";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeSpan _interval = options.Value.Hub.DocumentChangedInterval;

    // touched by the send loop only
    private readonly Dictionary<DocumentKey, Throttle> _throttles = [];
    private readonly Dictionary<string, Dictionary<string, PresenceChangedEvent>> _presence = [];

    public void PresenceChanged(DocumentKey key, IReadOnlyList<PresenceUser> users) =>
        _queue.Writer.TryWrite(new Pending(PendingKind.Presence, key, users, null));

    // hub connections open now: with none, nobody hears a DocumentChanged, and a busy server skips queueing thousands a second
    private int _listeners;

    public void ListenerConnected() => Interlocked.Increment(ref _listeners);

    public void ListenerDisconnected() => Interlocked.Decrement(ref _listeners);

    public void DocumentChanged(DocumentKey key, long size, long lastSeq, string? by)
    {
        if (Volatile.Read(ref _listeners) > 0)
        {
            _queue.Writer.TryWrite(new Pending(PendingKind.Changed, key, new DocumentChangedEvent(key.Workspace, key.Document, size, lastSeq, by), null));
        }
    }

    public void SnapshotCreated(DocumentKey key, NamedSnapshotInfo snapshot) =>
        _queue.Writer.TryWrite(new Pending(PendingKind.Immediate, key, new SnapshotCreatedEvent(key.Workspace, key.Document,
            new SnapshotPayload(snapshot.Id, snapshot.Label, snapshot.Author, snapshot.Seq, snapshot.CreatedAt, snapshot.Size)), SnapshotCreatedMethod));

    public void DocumentRestored(DocumentKey key, long snapshotId, long seq, string? by) =>
        _queue.Writer.TryWrite(new Pending(PendingKind.Immediate, key, new DocumentRestoredEvent(key.Workspace, key.Document, snapshotId, seq, by),
            DocumentRestoredMethod));

    /// <summary>Sends <paramref name="connectionId"/> the current presence of every document of <paramref name="workspace"/> that has users.</summary>
    public void SendPresenceSnapshot(string connectionId, string workspace, string? pattern = null) =>
        _queue.Writer.TryWrite(new Pending(PendingKind.PresenceSnapshot, new DocumentKey(workspace, string.Empty), pattern, connectionId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task<bool>? waiting = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                while (_queue.Reader.TryRead(out var pending))
                {
                    await HandleAsync(pending).ConfigureAwait(false);
                }

                var nextDue = await SendDueAsync().ConfigureAwait(false);
                waiting ??= _queue.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (nextDue is { } delay)
                {
                    using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var timer = Task.Delay(delay, time, wake.Token);
                    await Task.WhenAny(waiting, timer).ConfigureAwait(false);
                    await wake.CancelAsync().ConfigureAwait(false);
                }
                else if (!await waiting.ConfigureAwait(false))
                {
                    return;
                }

                if (waiting.IsCompleted)
                {
                    waiting = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandleAsync(Pending pending)
    {
        switch (pending.Kind)
        {
            case PendingKind.Presence:
                var presence = ToEvent(pending.Key, (IReadOnlyList<PresenceUser>)pending.Payload!);
                Remember(presence);
                await SendAsync(pending.Key, PresenceChangedMethod, presence).ConfigureAwait(false);
                break;
            case PendingKind.Changed:
                await ThrottleAsync(pending.Key, (DocumentChangedEvent)pending.Payload!).ConfigureAwait(false);
                break;
            case PendingKind.Immediate:
                await SendAsync(pending.Key, pending.Target!, pending.Payload!).ConfigureAwait(false);
                break;
            case PendingKind.PresenceSnapshot:
                if (_presence.TryGetValue(pending.Key.Workspace, out var documents))
                {
                    var pattern = (string?)pending.Payload;
                    foreach (var state in documents.Values)
                    {
                        if (pattern is null || TokenValidator.GlobMatches(pattern, state.Document))
                        {
                            await SendToAsync(pending.Target!, state).ConfigureAwait(false);
                        }
                    }
                }

                break;
        }
    }

    private async Task ThrottleAsync(DocumentKey key, DocumentChangedEvent changed)
    {
        long now = time.GetTimestamp();
        if (!_throttles.TryGetValue(key, out var throttle))
        {
            _throttles[key] = new Throttle { LastSent = now };
            await SendAsync(key, DocumentChangedMethod, changed).ConfigureAwait(false);
            return;
        }

        if (throttle.Pending is null && time.GetElapsedTime(throttle.LastSent, now) >= _interval)
        {
            throttle.LastSent = now;
            await SendAsync(key, DocumentChangedMethod, changed).ConfigureAwait(false);
            return;
        }

        throttle.Pending = changed; // last value wins
    }

    /// <summary>Sends the trailing events whose interval has passed; returns how long until the next one is due.</summary>
    private async Task<TimeSpan?> SendDueAsync()
    {
        if (_throttles.Count == 0)
        {
            return null;
        }

        TimeSpan? next = null;
        List<DocumentKey>? idle = null;
        List<(DocumentKey Key, DocumentChangedEvent Event)>? due = null;
        long now = time.GetTimestamp();
        foreach (var (key, throttle) in _throttles)
        {
            var left = _interval - time.GetElapsedTime(throttle.LastSent, now);
            if (throttle.Pending is null)
            {
                if (left <= TimeSpan.Zero)
                {
                    (idle ??= []).Add(key); // quiet for a whole interval: the next change goes out at once
                }
            }
            else if (left <= TimeSpan.Zero)
            {
                (due ??= []).Add((key, throttle.Pending));
                throttle.Pending = null;
                throttle.LastSent = now;
                next = next is null || _interval < next ? _interval : next;
            }
            else
            {
                next = next is null || left < next ? left : next;
            }
        }

        foreach (var key in idle ?? [])
        {
            _throttles.Remove(key);
        }

        foreach (var (key, changed) in due ?? [])
        {
            await SendAsync(key, DocumentChangedMethod, changed).ConfigureAwait(false);
        }

        return next;
    }

    private void Remember(PresenceChangedEvent presence)
    {
        if (!_presence.TryGetValue(presence.Workspace, out var documents))
        {
            if (presence.Users.Count == 0)
            {
                return;
            }

            _presence[presence.Workspace] = documents = [];
        }

        if (presence.Users.Count > 0)
        {
            documents[presence.Document] = presence;
        }
        else if (documents.Remove(presence.Document) && documents.Count == 0)
        {
            _presence.Remove(presence.Workspace);
        }
    }

    private static PresenceChangedEvent ToEvent(DocumentKey key, IReadOnlyList<PresenceUser> users)
    {
        var payload = new PresenceUserPayload[users.Count];
        for (int i = 0; i < users.Count; i++)
        {
            payload[i] = new PresenceUserPayload(users[i].ClientId, ParseUser(users[i].UserJson));
        }

        return new PresenceChangedEvent(key.Workspace, key.Document, payload);
    }

    private static JsonElement? ParseUser(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task SendAsync(DocumentKey key, string method, object payload)
    {
        try
        {
            await hub.Clients.Group(WorkspaceHub.GroupName(key.Workspace)).SendAsync(method, payload).ConfigureAwait(false);
            foreach (string pattern in PatternsOf(key.Workspace))
            {
                if (TokenValidator.GlobMatches(pattern, key.Document))
                {
                    await hub.Clients.Group(WorkspaceHub.GroupName(key.Workspace, pattern)).SendAsync(method, payload).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            HubLog.SendFailed(logger, e, method, key.Workspace);
        }
    }

    // Connections whose token names a document pattern join a group per (workspace, pattern) and hear only
    // about matching documents; the patterns in use are counted here so that a send knows which groups exist.
    private readonly Dictionary<string, Dictionary<string, int>> _patterns = [];

    public void AddPattern(string workspace, string pattern)
    {
        lock (_patterns)
        {
            if (!_patterns.TryGetValue(workspace, out var counts))
            {
                counts = [];
                _patterns[workspace] = counts;
            }

            counts[pattern] = counts.GetValueOrDefault(pattern) + 1;
        }
    }

    public void RemovePattern(string workspace, string pattern)
    {
        lock (_patterns)
        {
            if (_patterns.TryGetValue(workspace, out var counts) && counts.TryGetValue(pattern, out int n))
            {
                if (n > 1)
                {
                    counts[pattern] = n - 1;
                }
                else
                {
                    counts.Remove(pattern);
                    if (counts.Count == 0)
                    {
                        _patterns.Remove(workspace);
                    }
                }
            }
        }
    }

    private string[] PatternsOf(string workspace)
    {
        lock (_patterns)
        {
            return _patterns.TryGetValue(workspace, out var counts) ? [.. counts.Keys] : [];
        }
    }

    private async Task SendToAsync(string connectionId, PresenceChangedEvent presence)
    {
        try
        {
            await hub.Clients.Client(connectionId).SendAsync(PresenceChangedMethod, presence).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            HubLog.SendFailed(logger, e, PresenceChangedMethod, presence.Workspace);
        }
    }

    private enum PendingKind
    {
        Presence,
        Changed,
        Immediate,
        PresenceSnapshot,
    }

    /// <summary>One queued event; <see cref="Target"/> is the hub method of an immediate event, or the connection a presence snapshot goes to.</summary>
    private readonly record struct Pending(PendingKind Kind, DocumentKey Key, object? Payload, string? Target);

    private sealed class Throttle
    {
        public long LastSent;
        public DocumentChangedEvent? Pending;
    }
}
