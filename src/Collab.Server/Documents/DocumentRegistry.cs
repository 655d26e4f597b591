using Collab.Server.Connections;
using Collab.Server.Events;
using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Server.Documents;

/// <summary>
/// The loaded documents of this node: creates a <see cref="DocumentHost"/> on a document's first connection and
/// forgets it when the host unloads. On shutdown it asks every host to flush and waits for them.
/// </summary>
internal sealed class DocumentRegistry(IDocumentStore store, IOptions<CollabOptions> options, ILoggerFactory loggers, TimeProvider time,
    IHostApplicationLifetime lifetime, IWorkspaceEvents events)
    : IHostedService
{
    private readonly object _lock = new();
    private readonly Dictionary<DocumentKey, DocumentHost> _hosts = [];
    private readonly ILogger _logger = loggers.CreateLogger("Collab.Server.Documents");
    private readonly Dictionary<DocumentKey, TaskCompletionSource> _deleting = [];
    private bool _stopping;
    private Task? _shutdown;

    /// <summary>Raised by hosts after each durable append: what the change feed's long poll waits on.</summary>
    public DocumentChangeSignals Changes { get; } = new();

    /// <summary>Free compaction slots (<see cref="DocumentOptions.CompactionConcurrency"/>): a host takes one without waiting, or compacts later.</summary>
    public SemaphoreSlim CompactionSlots { get; } = new(Math.Max(1, options.Value.Documents.CompactionConcurrency));

    public int LoadedCount
    {
        get
        {
            lock (_lock)
            {
                return _hosts.Count;
            }
        }
    }

    /// <summary>Joins a connection to its document's host (creating and loading it if needed); null while shutting down.</summary>
    public DocumentHost? Join(ClientConnection connection)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return null;
            }

            if (!_hosts.TryGetValue(connection.Key, out var host) || host.Closed)
            {
                host = new DocumentHost(connection.Key, this, store, options.Value, _logger, time, events);
                _hosts[connection.Key] = host;
                host.Start();
            }

            Interlocked.Increment(ref host.PendingJoins);
            host.Post(new HostMessage.Join(connection));
            return host;
        }
    }

    /// <summary>
    /// Posts a REST request to the document's host, creating and loading it if needed (it unloads after the idle delay
    /// like a host whose connections left); false while shutting down.
    /// </summary>
    public bool PostRequest(DocumentKey key, HostRequest request)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return false;
            }

            if (!_hosts.TryGetValue(key, out var host) || host.Closed)
            {
                host = new DocumentHost(key, this, store, options.Value, _logger, time, events);
                _hosts[key] = host;
                host.Start();
            }

            Interlocked.Increment(ref host.PendingJoins);
            host.Post(request);
            return true;
        }
    }

    /// <summary>Posts a REST request to the document's host only if it is loaded; false (nothing posted) otherwise.</summary>
    public bool PostRequestIfLoaded(DocumentKey key, HostRequest request)
    {
        lock (_lock)
        {
            if (_stopping || !_hosts.TryGetValue(key, out var host) || host.Closed)
            {
                return false;
            }

            Interlocked.Increment(ref host.PendingJoins);
            host.Post(request);
            return true;
        }
    }

    /// <summary>
    /// Marks a document as being deleted: a host created meanwhile waits (<see cref="DeletionFinished"/>) before it loads.
    /// False when another deletion of it runs: wait for <paramref name="running"/> and try again.
    /// </summary>
    public bool TryBeginDeletion(DocumentKey key, out Task running)
    {
        lock (_lock)
        {
            if (_deleting.TryGetValue(key, out var other))
            {
                running = other.Task;
                return false;
            }

            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _deleting[key] = mine;
            running = mine.Task;
            return true;
        }
    }

    public void EndDeletion(DocumentKey key)
    {
        TaskCompletionSource? done;
        lock (_lock)
        {
            _deleting.Remove(key, out done);
        }

        done?.TrySetResult();
    }

    /// <summary>Completes when no deletion of the document is running.</summary>
    public Task DeletionFinished(DocumentKey key)
    {
        lock (_lock)
        {
            return _deleting.TryGetValue(key, out var running) ? running.Task : Task.CompletedTask;
        }
    }

    /// <summary>Removes an idle host unless a join is on its way to it.</summary>
    public bool TryRemove(DocumentHost host)
    {
        lock (_lock)
        {
            if (Volatile.Read(ref host.PendingJoins) > 0)
            {
                return false;
            }

            RemoveLocked(host);
            return true;
        }
    }

    /// <summary>Removes a failed or shut-down host: the next connection loads the document afresh.</summary>
    public void ForceRemove(DocumentHost host)
    {
        lock (_lock)
        {
            RemoveLocked(host);
        }
    }

    /// <summary>The host currently serving a document, if loaded (for tests and diagnostics).</summary>
    public DocumentHost? Find(DocumentKey key)
    {
        lock (_lock)
        {
            return _hosts.TryGetValue(key, out var host) ? host : null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Kestrel waits for open requests before the hosted services stop, and a WebSocket stays open until closed:
        // so the documents start closing their connections and flushing as soon as the application is stopping.
        lifetime.ApplicationStopping.Register(() => _ = ShutdownAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => ShutdownAsync().WaitAsync(cancellationToken);

    /// <summary>Closes every connection (1001), flushes every document and unloads it; idempotent.</summary>
    public Task ShutdownAsync()
    {
        lock (_lock)
        {
            return _shutdown ??= FlushAllAsync();
        }
    }

    private async Task FlushAllAsync()
    {
        DocumentHost[] hosts;
        lock (_lock)
        {
            _stopping = true;
            hosts = [.. _hosts.Values];
        }

        ServerLog.ShutdownFlush(_logger, hosts.Length);
        foreach (var host in hosts)
        {
            host.Post(HostMessage.Shutdown.Instance);
        }

        var deadline = time.GetTimestamp();
        var timeout = options.Value.Documents.ShutdownFlushTimeout;
        foreach (var host in hosts)
        {
            var left = timeout - time.GetElapsedTime(deadline);
            try
            {
                await host.Completion.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ServerLog.ShutdownFlushTimedOut(_logger, host.Key);
            }
        }
    }

    private void RemoveLocked(DocumentHost host)
    {
        host.Closed = true;
        if (_hosts.TryGetValue(host.Key, out var current) && ReferenceEquals(current, host))
        {
            _hosts.Remove(host.Key);
        }
    }
}
