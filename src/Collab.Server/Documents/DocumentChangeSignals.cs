using System.Collections.Concurrent;
using Collab.Storage;

namespace Collab.Server.Documents;

/// <summary>
/// Per-document "something new is durable" signals for the change feed's long poll. A waiter takes
/// <see cref="Next"/> before it reads the log, so an update stored between its read and its wait still releases it.
/// </summary>
internal sealed class DocumentChangeSignals
{
    private readonly ConcurrentDictionary<DocumentKey, TaskCompletionSource> _signals = new();

    /// <summary>Completes the next time <see cref="Raise"/> is called for <paramref name="key"/>.</summary>
    public Task Next(DocumentKey key) =>
        _signals.GetOrAdd(key, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Called by the document's host after each durable append.</summary>
    public void Raise(DocumentKey key)
    {
        if (_signals.TryRemove(key, out var signal))
        {
            signal.TrySetResult();
        }
    }
}
