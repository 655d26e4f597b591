using Microsoft.Data.Sqlite;

namespace Collab.Storage.Sqlite;

// WAL checkpoints off the write path. SQLite's default runs a checkpoint inside the COMMIT that pushes the WAL past
// 1000 pages: that commit then copies the pages into the database file and fsyncs it, and every append queued behind
// it waits (under load, the p99 of durable-before-broadcast was these stalls). The writer therefore has
// wal_autocheckpoint off, and a loop checkpoints once a second on a connection of its own in PASSIVE mode, which runs
// alongside the writer. Should passive checkpoints fall behind (readers pinning old frames), a RESTART checkpoint
// under the write lock bounds the WAL. A crash in between loses nothing: committed frames are in the WAL, and opening
// the database replays them.
//
// A passive checkpoint alone never lets the WAL start over under steady writes: SQLite rewinds the WAL only when a
// write begins with every frame copied, and commits land while the checkpoint runs. The WAL then grew without bound
// (690 MB in 25 s at 8000 updates a second), and every frame extended the file, which the kernel zero-fills and
// allocates blocks for. So once the WAL holds more than WalRestartPages, the loop follows the passive checkpoint with
// a RESTART one under the write lock: it only copies what was committed since (a few milliseconds' worth), and the
// next commit writes from the start of the file again, over pages already allocated and cached.
public sealed partial class SqliteDocumentStore
{
    private TimeSpan _checkpointInterval = TimeSpan.FromSeconds(1);
    private PeriodicTimer? _checkpointTimer;

    /// <summary>How often the loop checkpoints (tests stretch or shorten it).</summary>
    internal TimeSpan CheckpointInterval
    {
        get => _checkpointInterval;
        set
        {
            _checkpointInterval = value;
            if (_checkpointTimer is { } timer) timer.Period = value;
        }
    }

    // pages (4 KiB) left in the WAL after a passive checkpoint before the writer is paused for a full one
    private const long MaxUncheckpointedPages = 16_384;

    // frames (4 KiB pages) in the WAL past which the loop rewinds it (16 MiB)
    private const long WalRestartPages = 4_096;

    private readonly CancellationTokenSource _stopCheckpoints = new();
    private Task? _checkpointLoop;

    /// <summary>Passive checkpoints the loop has run (for tests).</summary>
    internal long CheckpointsRun;

    /// <summary>RESTART checkpoints the loop has run under the write lock (for tests).</summary>
    internal long WalRestarts;

    // Called with the writer open, under _writeLock.
    private void EnsureCheckpointLoop() => _checkpointLoop ??= Task.Run(CheckpointLoopAsync);

    private async Task StopCheckpointLoopAsync()
    {
        await _stopCheckpoints.CancelAsync().ConfigureAwait(false);
        if (_checkpointLoop is { } loop) await loop.ConfigureAwait(false);
    }

    private async Task CheckpointLoopAsync()
    {
        using var timer = new PeriodicTimer(_checkpointInterval);
        _checkpointTimer = timer;
        SqliteConnection? c = null;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopCheckpoints.Token).ConfigureAwait(false))
            {
                try
                {
                    // a checkpoint copies pages and fsyncs the database file: on the store's own thread, not a pool worker
                    var reader = c ??= OpenReader();
                    var (frames, copied) = await _blockingWork.Run(() => Checkpoint(reader, "PASSIVE")).ConfigureAwait(false);
                    CheckpointsRun++;
                    if (frames - copied > MaxUncheckpointedPages || frames > WalRestartPages)
                    {
                        await CheckpointUnderWriteLockAsync().ConfigureAwait(false);
                        WalRestarts++;
                    }
                }
                catch (Exception e) when (e is SqliteException or StorageException or ObjectDisposedException)
                {
                    // the next tick retries on a fresh connection; a checkpoint never decides whether data is kept
                    c?.Dispose();
                    c = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            c?.Dispose();
        }
    }

    // Through the store's write path: on its thread, under the write lock, on the writer connection.
    private Task CheckpointUnderWriteLockAsync() => WriteAsync(c => Checkpoint(c, "RESTART"), _stopCheckpoints.Token);

    // Returns the frames in the WAL and how many of them are copied into the database file.
    private static (long Frames, long Copied) Checkpoint(SqliteConnection c, string mode)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return (0, 0);
        long log = r.GetInt64(1), done = r.GetInt64(2);
        return log < 0 ? (0, 0) : (log, done);
    }
}
