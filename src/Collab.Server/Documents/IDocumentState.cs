using Collab.Crdt;

namespace Collab.Server.Documents;

/// <summary>
/// The in-memory state of one document, owned by its <see cref="DocumentHost"/> (single-threaded: no locking).
/// Today a merged update plus recent updates (<see cref="MergedUpdateState"/>); a live <c>Doc</c> can replace it
/// behind this interface. Only durable updates are applied, so whatever it answers has been persisted.
/// </summary>
internal interface IDocumentState
{
    /// <summary>Bytes of encoded state held (an upper bound of the merged size): what the document size limit counts.</summary>
    long Size { get; }

    /// <summary>
    /// Applies an update that is already durable (validated before it was appended); <paramref name="decoded"/>, when
    /// given, is that validation's result, which a state may apply instead of decoding the bytes again.
    /// </summary>
    void Apply(byte[] update, DecodedUpdate? decoded = null);

    /// <summary>The state vector to send in the server's sync step 1.</summary>
    byte[] EncodeStateVector();

    /// <summary>The state missing from a peer with <paramref name="stateVector"/>: the update of a sync step 2.</summary>
    byte[] EncodeStateAsUpdate(byte[] stateVector);

    /// <summary>The whole state as one update: what a compaction snapshot stores.</summary>
    byte[] EncodeSnapshot();

    /// <summary>
    /// True when every range of <paramref name="deletes"/> is already deleted here, so an update carrying only these
    /// deletions changes nothing (the step 2 every reconnecting client sends holds its whole delete set).
    /// </summary>
    bool CoversDeletions(DeleteSet deletes);

    /// <summary>
    /// How deeply shared types would nest once <paramref name="unapplied"/> (accepted, not yet durable) and then
    /// <paramref name="update"/> are applied, counted from where their types attach in the document.
    /// </summary>
    int TypeNestingWith(DecodedUpdate update, IEnumerable<DecodedUpdate> unapplied);
}
