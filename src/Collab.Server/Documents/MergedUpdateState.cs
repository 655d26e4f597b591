using Collab.Crdt;

namespace Collab.Server.Documents;

/// <summary>
/// Document state kept as encoded updates: one merged update plus the updates applied since, merged lazily (when a
/// peer needs the state, or past <c>mergeThreshold</c> pending updates) with the engine's update algebra.
/// </summary>
internal sealed class MergedUpdateState : IDocumentState
{
    private static readonly byte[] EmptyUpdate = [0, 0];

    private readonly List<byte[]> _pending = [];
    private readonly int _mergeThreshold;
    private readonly DecoderLimits _limits;
    private byte[] _merged;
    private byte[]? _stateVector;
    private long _pendingBytes;
    private DeleteSet? _deleteSet;

    public MergedUpdateState(byte[]? snapshot, IEnumerable<byte[]> log, int mergeThreshold, DecoderLimits limits)
    {
        _mergeThreshold = Math.Max(1, mergeThreshold);
        _limits = limits;
        var all = new List<byte[]>();
        if (snapshot is { Length: > 0 })
        {
            all.Add(snapshot);
        }

        all.AddRange(log);
        // merging here validates everything that was stored: a corrupt log fails the load instead of serving a partial document
        _merged = all.Count switch
        {
            0 => EmptyUpdate,
            _ => Updates.Merge(all, UpdateFormat.V1, limits),
        };
    }

    public long Size => _merged.Length + _pendingBytes;

    /// <summary>Updates that could not be merged and were left out (expected to stay 0).</summary>
    public int RejectedUpdates { get; private set; }

    public void Apply(byte[] update, DecodedUpdate? decoded = null)
    {
        _pending.Add(update);
        _pendingBytes += update.Length;
        _stateVector = null;
        _deleteSet = null;
        if (_pending.Count >= _mergeThreshold)
        {
            MergePending();
        }
    }

    public byte[] EncodeStateVector()
    {
        MergePending();
        return _stateVector ??= Updates.EncodeStateVectorFromUpdate(_merged, UpdateFormat.V1, _limits);
    }

    public byte[] EncodeStateAsUpdate(byte[] stateVector)
    {
        MergePending();
        return Updates.Diff(_merged, stateVector, UpdateFormat.V1, _limits);
    }

    public byte[] EncodeSnapshot()
    {
        MergePending();
        return _merged;
    }

    // counted within the update only: finding where its types attach would decode the whole state for each update
    public int TypeNestingWith(DecodedUpdate update, IEnumerable<DecodedUpdate> unapplied) => update.TypeNesting;

    public bool CoversDeletions(DeleteSet deletes)
    {
        MergePending();
        var state = _deleteSet ??= DeleteSet.Merge([Updates.Decode(_merged, UpdateFormat.V1, _limits).DeleteSet]);
        foreach (var (client, ranges) in deletes.Clients)
        {
            if (!state.Clients.TryGetValue(client, out var known))
            {
                if (ranges.Count == 0)
                {
                    continue;
                }

                return false;
            }

            foreach (var range in ranges)
            {
                if (range.Len > 0 && !Covered(known, range))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // known: sorted, merged (non-overlapping, non-adjacent) ranges
    private static bool Covered(List<DeleteItem> known, DeleteItem range)
    {
        int lo = 0, hi = known.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var k = known[mid];
            if (range.Clock < k.Clock)
            {
                hi = mid - 1;
            }
            else if (range.Clock >= k.Clock + k.Len)
            {
                lo = mid + 1;
            }
            else
            {
                return range.Clock + range.Len <= k.Clock + k.Len;
            }
        }

        return false;
    }

    private void MergePending()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var all = new List<byte[]>(_pending.Count + 1) { _merged };
        all.AddRange(_pending);
        try
        {
            _merged = Updates.Merge(all, UpdateFormat.V1, _limits);
        }
        catch (YjsFormatException)
        {
            // Every update was validated before it was accepted, so this is not expected; still, one bad update must
            // not take the others down with it: merge one by one and leave out what cannot be merged.
            foreach (var update in _pending)
            {
                try
                {
                    _merged = Updates.Merge([_merged, update], UpdateFormat.V1, _limits);
                }
                catch (YjsFormatException)
                {
                    RejectedUpdates++;
                }
            }
        }

        _pending.Clear();
        _pendingBytes = 0;
        _stateVector = null;
        _deleteSet = null;
    }
}
