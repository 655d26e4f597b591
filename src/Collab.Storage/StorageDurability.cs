namespace Collab.Storage;

/// <summary>
/// What a store waits for before a write returns, and so what an update the server has broadcast survives (every
/// update is appended before it is broadcast, in either mode). Either way a crash leaves the stored data consistent:
/// what can go missing is only a tail of the latest writes, never part of one.
/// </summary>
public enum StorageDurability
{
    /// <summary>
    /// The default: each write is flushed to the disk (fsync) before it returns. Survives a crash or kill of Collab,
    /// of the database server and of the machine, and power loss. Every broadcast waits for the disk's flush, so a
    /// disk that sometimes takes hundreds of milliseconds to flush holds every document's updates that long.
    /// </summary>
    Flush,

    /// <summary>
    /// Each write is handed to the database before it returns and flushed to the disk shortly after (SQLite: written to
    /// its log file in the operating system's cache, with synchronous=NORMAL; PostgreSQL: committed with
    /// synchronous_commit=off). Survives a crash or kill of Collab; a crash of the machine (for PostgreSQL, also of the
    /// database server) may lose the writes of the moments before it: PostgreSQL's at most 3 × wal_writer_delay (0.6 s
    /// by default), SQLite's since its last checkpoint (the store checkpoints once a second while there are writes).
    /// Clients that still hold those edits send them again when they reconnect.
    /// </summary>
    Write,
}
