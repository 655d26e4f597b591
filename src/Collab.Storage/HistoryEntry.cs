namespace Collab.Storage;

/// <summary>
/// One logged update's metadata (no payload): kept in its own table that compaction does not touch, so a document's
/// history lists every update it ever accepted, also those folded into a snapshot. Deleting the document deletes it.
/// </summary>
public sealed record HistoryEntry(long Seq, DateTimeOffset ReceivedAt, long Size, string? Origin);
