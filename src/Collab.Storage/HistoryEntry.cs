namespace Collab.Storage;

/// <summary>
/// One logged update's metadata (no payload): the log holds it while it holds the update, and the compaction that
/// folds the update into a snapshot moves it into the history (SQLite: a row per entry; PostgreSQL: a row per run of
/// entries), so a document's history lists every update it ever accepted. Deleting the document deletes it.
/// </summary>
public sealed record HistoryEntry(long Seq, DateTimeOffset ReceivedAt, long Size, string? Origin);
