namespace Collab.Storage;

/// <summary>
/// A document's row in the catalog. <see cref="Size"/> is the bytes stored for it (latest compaction snapshot plus
/// the log after it); <see cref="CompactedSeq"/> is the last sequence folded into that snapshot (0 if none), so the
/// log holds exactly the updates in (<see cref="CompactedSeq"/>, <see cref="LastSeq"/>].
/// </summary>
public sealed record DocumentInfo(
    DocumentKey Key,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Size,
    long LastSeq,
    long CompactedSeq,
    long OwnerEpoch);
