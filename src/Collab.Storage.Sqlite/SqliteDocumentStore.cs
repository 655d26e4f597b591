using Collab.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a committed append survives a
/// process or power failure (with <see cref="StorageDurability.Write"/>, synchronous=NORMAL: a process failure).
/// Writes go through one long-lived connection under an in-process lock (SQLite allows one writer anyway; BEGIN
/// IMMEDIATE plus a busy timeout guard against other processes); appends are group-committed across documents by one
/// writer loop (one transaction, one fsync, for everything queued meanwhile); reads use pooled connections and see one
/// consistent snapshot per call, never blocking the writer.
/// </summary>
public sealed partial class SqliteDocumentStore : IDocumentStore, IDocumentCatalog, IStoreHooks, IStoreWarmUp
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "collab.db";

    private const int BusyTimeoutMs = 10_000;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly BlockingWorker _blockingWork = new("Collab SQLite writes");
    private SqliteConnection? _writer;
    private volatile bool _migrated;
    private bool _disposed;

    private SqliteDocumentStore(string databasePath, StorageDurability durability)
    {
        DatabasePath = databasePath;
        Durability = durability;
        _appendQueue = new GroupCommitQueue(WriteBatchAsync, MaxAppendsPerTransaction, MaxBytesPerTransaction, blockingWriter: true);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>What a write waits for before it returns.</summary>
    public StorageDurability Durability { get; }

    Action<string>? IStoreHooks.Fault { get; set; }

    /// <summary>
    /// A store on <c>{dataDirectory}/collab.db</c>, creating the directory if needed. Touches no file until the first
    /// call; call <see cref="MigrateAsync"/> at start-up (other calls migrate on first use too).
    /// </summary>
    public static SqliteDocumentStore Open(string dataDirectory, StorageDurability durability = StorageDurability.Flush)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var full = Path.GetFullPath(dataDirectory);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(StorageErrorKind.Unavailable,
                $"Cannot create the data directory '{full}' ({e.Message}). Set Collab:DataDirectory " +
                "(env Collab__DataDirectory) to a writable directory.", e);
        }
        return new SqliteDocumentStore(Path.Combine(full, FileName), durability);
    }

    /// <summary>A store on an explicit database file (its directory must exist).</summary>
    public static SqliteDocumentStore OpenFile(string databasePath, StorageDurability durability = StorageDurability.Flush)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        return new SqliteDocumentStore(Path.GetFullPath(databasePath), durability);
    }

    // Every write migrates first (WriteAsync): a no-op write is the migration alone, on the store's thread.
    public Task MigrateAsync(CancellationToken ct = default) => WriteAsync(static _ => 0, ct);

    public Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            using var c = OpenReader();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT 1";
            cmd.ExecuteScalar();
            return Task.FromResult(true);
        }
        catch (Exception e) when (e is SqliteException or StorageException or InvalidOperationException)
        {
            return Task.FromResult(false);
        }
    }

    public async Task CompactAsync(DocumentKey key, byte[] snapshot, long upToSeq, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Compaction(snapshot, upToSeq);
        await WriteAsync(c => CompactLocked(c, key, snapshot, upToSeq), ct).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(DocumentKey key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return await WriteAsync(c => DeleteLocked(c, key), ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppendLoopAsync().ConfigureAwait(false); // appends queued before this are written first
        await StopCheckpointLoopAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
            using var forPool = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(forPool);
        }
        finally
        {
            _writeLock.Release();
            _blockingWork.Dispose();
        }
    }

    private Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct) =>
        // Microsoft.Data.Sqlite does its I/O synchronously: on the store's own thread, so that neither a caller's loop
        // (a document host's mailbox) nor a thread-pool worker waits for the fsync (or for the migration)
        _blockingWork.Run(() =>
        {
            _writeLock.Wait(ct);
            try
            {
                if (!_migrated)
                {
                    Write(MigrateLocked);
                    _migrated = true;
                }
                return Write(work);
            }
            finally
            {
                _writeLock.Release();
            }
        });

    // Runs under _writeLock. A connection that failed is dropped so the next call starts from a fresh one.
    private T Write<T>(Func<SqliteConnection, T> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _writer ??= OpenWriter();
            return work(_writer);
        }
        catch (SqliteException e)
        {
            _writer?.Dispose();
            _writer = null;
            throw SqliteErrors.Translate(e, DatabasePath);
        }
    }

    /// <summary>The writer connection's <c>PRAGMA synchronous</c> (1 NORMAL, 2 FULL; tests check that the durability took).</summary>
    internal Task<long> WriterSynchronousAsync(CancellationToken ct = default) => WriteAsync(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous";
        return (long)cmd.ExecuteScalar()!;
    }, ct);

    private SqliteConnection OpenWriter()
    {
        var c = new SqliteConnection(_connectionString);
        try
        {
            c.Open();
            // busy_timeout first: switching a new file to WAL takes a lock another process may hold.
            // synchronous=NORMAL in WAL mode: a commit writes the log without an fsync (the checkpoint loop's next
            // checkpoint fsyncs it first), durable across a crash of this process but not of the machine
            string synchronous = Durability == StorageDurability.Flush ? "FULL" : "NORMAL";
            Exec(c, null, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON; " +
                "PRAGMA wal_autocheckpoint = 0;");
            EnsureCheckpointLoop(); // checkpoints run beside the writer, not inside its commits
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var c = new SqliteConnection(_connectionString);
        try
        {
            c.Open();
            Exec(c, null, $"PRAGMA busy_timeout = {BusyTimeoutMs};");
            return c;
        }
        catch (SqliteException e)
        {
            c.Dispose();
            throw SqliteErrors.Translate(e, DatabasePath);
        }
    }

    private static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }
}
