namespace Collab.Storage;

/// <summary>
/// One caller's append waiting in a store's group-commit queue. The writer loop claims it (after which a cancelled
/// token no longer withdraws it) and completes <see cref="Done"/> with the seq of its last update once the shared
/// transaction has committed, or with the error that kept it from committing.
/// </summary>
internal sealed class PendingAppend : IDisposable
{
    private const int Queued = 0, Claimed = 1, Cancelled = 2;
    private int _state;
    private readonly CancellationTokenRegistration _registration;

    public PendingAppend(DocumentKey key, IReadOnlyList<UpdateRecord> updates, CancellationToken ct)
    {
        Key = key;
        Updates = updates;
        if (ct.CanBeCanceled)
        {
            _registration = ct.Register(static (state, token) =>
            {
                var self = (PendingAppend)state!;
                if (Interlocked.CompareExchange(ref self._state, Cancelled, Queued) == Queued) self.Done.TrySetCanceled(token);
            }, this);
        }
    }

    public DocumentKey Key { get; }

    public IReadOnlyList<UpdateRecord> Updates { get; }

    public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True if the append may be written: it was not cancelled, and now it cannot be any more.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    public void Dispose() => _registration.Dispose();
}
