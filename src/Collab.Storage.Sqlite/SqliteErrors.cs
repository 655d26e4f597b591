using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

/// <summary>Turns SQLite's result codes into <see cref="StorageException"/>s whose messages say what to do.</summary>
internal static class SqliteErrors
{
    // https://www.sqlite.org/rescode.html (primary codes)
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13, CantOpen = 14, Auth = 23, NotADb = 26;

    public static StorageException Translate(SqliteException e, string path) => (e.SqliteErrorCode & 0xff) switch
    {
        CantOpen => new(StorageErrorKind.Unavailable,
            $"Cannot open the SQLite database '{path}' ({e.Message}). Check that the data directory " +
            "(Collab:DataDirectory, env Collab__DataDirectory) exists and is writable by this process.", e),
        ReadOnly or Auth => new(StorageErrorKind.Unavailable,
            $"The SQLite database '{path}' is read-only ({e.Message}). Give this process write access to the file, " +
            "its directory and its -wal/-shm files.", e),
        Full => new(StorageErrorKind.Unavailable,
            $"The disk holding '{path}' is full ({e.Message}). Free space; nothing was written by the failed call.", e),
        Busy or Locked => new(StorageErrorKind.Unavailable,
            $"The SQLite database '{path}' stayed locked by another connection ({e.Message}). Make sure only one " +
            "Collab server uses this data directory.", e),
        IoErr => new(StorageErrorKind.Unavailable,
            $"Disk I/O error on '{path}' ({e.Message}). Check the disk; nothing was written by the failed call.", e),
        Corrupt or NotADb => new(StorageErrorKind.SchemaMismatch,
            $"'{path}' is not a Collab SQLite database or is damaged ({e.Message}). Move it away and restore a backup, " +
            "or point Collab:DataDirectory elsewhere.", e),
        _ => new(StorageErrorKind.Failed, $"SQLite error {e.SqliteErrorCode} on '{path}': {e.Message}", e),
    };
}
