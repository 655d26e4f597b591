using Collab.Crdt;

namespace Collab.Server.Documents;

/// <summary>
/// A document held as a live <see cref="Doc"/> with garbage collection on: deleted content is dropped as
/// updates arrive, so compaction snapshots are garbage-collected states and sync answers are small.
/// </summary>
internal sealed class LiveDocState : IDocumentState
{
    private readonly Doc _doc = new(new DocOptions { Gc = true });
    private readonly DecoderLimits _limits;
    private long _sizeBound;

    public LiveDocState(byte[]? snapshot, IEnumerable<byte[]> log, DecoderLimits limits)
    {
        _limits = limits;
        // applying here validates everything that was stored: a corrupt log fails the load instead of serving a partial document
        if (snapshot is { Length: > 0 })
        {
            Apply(snapshot);
        }

        foreach (var update in log)
        {
            Apply(update);
        }
    }

    // An upper bound, refreshed whenever the whole state is encoded: each update adds at most its own size.
    public long Size => _sizeBound;

    public void Apply(byte[] update, DecodedUpdate? decoded = null)
    {
        if (decoded is not null)
        {
            _doc.ApplyUpdate(decoded);
        }
        else
        {
            _doc.ApplyUpdate(update, UpdateFormat.V1, origin: null, _limits);
        }

        _sizeBound += update.Length;
    }

    public byte[] EncodeStateVector() => _doc.EncodeStateVector();

    public byte[] EncodeStateAsUpdate(byte[] stateVector)
    {
        byte[] update = _doc.EncodeStateAsUpdate(stateVector);
        if (stateVector is [0])
        {
            _sizeBound = update.Length;
        }

        return update;
    }

    public byte[] EncodeSnapshot()
    {
        byte[] snapshot = _doc.EncodeStateAsUpdate();
        _sizeBound = snapshot.Length;
        return snapshot;
    }

    public bool CoversDeletions(DeleteSet deletes) => _doc.CoversDeletions(deletes);

    public int TypeNestingWith(DecodedUpdate update, IEnumerable<DecodedUpdate> unapplied) => _doc.TypeNestingWith([.. unapplied, update]);
}
