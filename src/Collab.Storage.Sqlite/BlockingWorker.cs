using System.Collections.Concurrent;

namespace Collab.Storage.Sqlite;

/// <summary>
/// One thread for a store's blocking SQLite work besides appends (compactions, deletes, snapshots, checkpoints).
/// Microsoft.Data.Sqlite does its I/O synchronously; on a thread-pool worker a commit's fsync would hold one of the
/// few workers that every connection and document host shares. Started at the first piece of work.
/// </summary>
internal sealed class BlockingWorker(string name) : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Lock _start = new();
    private Thread? _thread;

    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        EnsureThread();
        try
        {
            _work.Add(() =>
            {
                try
                {
                    done.TrySetResult(work());
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            done.TrySetException(new ObjectDisposedException(name));
        }

        return done.Task;
    }

    /// <summary>Work already queued still runs; nothing more is taken.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void EnsureThread()
    {
        if (Volatile.Read(ref _thread) is not null) return;
        lock (_start)
        {
            if (_thread is not null) return;
            var thread = new Thread(() =>
            {
                foreach (var work in _work.GetConsumingEnumerable()) work();
            })
            {
                IsBackground = true,
                Name = name,
            };
            thread.Start();
            Volatile.Write(ref _thread, thread);
        }
    }
}
