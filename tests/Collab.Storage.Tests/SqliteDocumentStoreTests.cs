using Collab.Storage.Sqlite;
using Collab.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Collab.Storage.Tests;

/// <summary>The shared contract on SQLite (a fresh data directory per test), plus what only SQLite has.</summary>
public class SqliteDocumentStoreTests : DocumentStoreContract
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "collab-storage-tests", Guid.NewGuid().ToString("N"));

    protected override IDocumentStore OpenStore() => SqliteDocumentStore.Open(_dataDirectory, Durability);

    protected override string[] CrashWriterArguments() => ["sqlite", _dataDirectory];

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, SqliteDocumentStore.FileName)};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task<long> CountAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, SqliteDocumentStore.FileName)};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    protected override int HistoryAtCompactionVersion => 4;

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_writer_flushes_each_commit_only_when_the_durability_is_Flush()
    {
        // PRAGMA synchronous in WAL mode: FULL (2) fsyncs the log at every commit, NORMAL (1) only before checkpoints
        long expected = Durability == StorageDurability.Flush ? 2 : 1;
        Assert.Equal(expected, await ((SqliteDocumentStore)Store).WriterSynchronousAsync());
        Assert.Equal(Durability, ((SqliteDocumentStore)Store).Durability);
    }

    [Fact]
    public async Task The_database_is_one_file_under_the_data_directory_in_WAL_mode()
    {
        await Store.AppendAsync(new DocumentKey("w", "d"), [TestUpdates.Update(1)]);

        var path = Path.Combine(_dataDirectory, SqliteDocumentStore.FileName);
        Assert.Equal(path, ((SqliteDocumentStore)Store).DatabasePath);
        Assert.True(File.Exists(path));
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_version_2_database_is_migrated_to_clustered_log_tables_keeping_every_row()
    {
        var doc = new DocumentKey("w", "clustered");
        var other = new DocumentKey("w", "other");
        for (int i = 1; i <= 6; i++)
        {
            await Store.AppendAsync(i % 2 == 0 ? doc : other, [TestUpdates.Update(i)]);
        }

        // the tables as version 2 had them (their released definitions): rowid tables in arrival order
        await ExecuteSqlAsync($"""
            CREATE TABLE u2 AS SELECT * FROM document_updates; DROP TABLE document_updates;
            {DocumentUpdatesTable.Create}
            INSERT INTO document_updates SELECT * FROM u2; DROP TABLE u2;
            CREATE TABLE h2 AS SELECT * FROM document_history; DROP TABLE document_history;
            {DocumentHistoryTable.Create}
            DROP TABLE h2; -- version 2 wrote a history row with every update
            INSERT INTO document_history SELECT document_id, seq, received_at, length(payload), origin FROM document_updates;
            DELETE FROM schema_migrations WHERE version >= 3;
            """);
        await using var upgraded = SqliteDocumentStore.Open(_dataDirectory, Durability);
        await upgraded.MigrateAsync();

        var path = Path.Combine(_dataDirectory, SqliteDocumentStore.FileName);
        await using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT group_concat(sql, ';') FROM sqlite_master WHERE name IN ('document_updates', 'document_history')";
            var sql = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.Equal(2, sql.Split("WITHOUT ROWID").Length - 1);
        }

        var stored = await upgraded.LoadAsync(doc);
        Assert.Equal([2L, 4, 6], TestUpdates.IdsOf(stored!));
        Assert.Equal([1L, 2, 3], stored!.Log.Select(e => e.Seq));
        Assert.Equal(3, (await ((IDocumentCatalog)upgraded).ReadHistoryAsync(other, 0, 100)).Count);
        Assert.Equal(4, await upgraded.AppendAsync(doc, [TestUpdates.Update(8)]));
    }

    [Fact]
    public async Task Commits_do_not_checkpoint_the_WAL_a_background_loop_does()
    {
        var path = Path.Combine(_dataDirectory, SqliteDocumentStore.FileName);
        var key = new DocumentKey("w", "wal");
        Sqlite.CheckpointInterval = TimeSpan.FromHours(1);
        // well past SQLite's default autocheckpoint (1000 pages): 1500 appends of 4 KiB
        for (var i = 1; i <= 1500; i++) await Store.AppendAsync(key, [new UpdateRecord(new byte[4096], null, DateTimeOffset.UtcNow)]);

        // the commits left it all in the WAL (the writer has wal_autocheckpoint = 0) ...
        Assert.True(new FileInfo(path + "-wal").Length > 1500L * 4096, "the WAL was checkpointed (and reset) inside a commit");

        // ... and the loop copies it into the database file, while the store stays open
        Assert.Equal(0, Sqlite.CheckpointsRun);
        Sqlite.CheckpointInterval = TimeSpan.FromMilliseconds(100);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Sqlite.CheckpointsRun == 0 || new FileInfo(path).Length < 1500L * 4096)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no checkpoint copied the WAL (checkpoints run: {Sqlite.CheckpointsRun})");
            await Task.Delay(100);
        }

        Assert.Equal(1500, (await Store.LoadAsync(key))!.Log.Count);
    }

    [Fact]
    public async Task Under_writes_that_never_pause_the_loop_rewinds_the_WAL_so_it_stays_bounded()
    {
        // A passive checkpoint alone never gets the WAL to start over while commits keep landing: it grew by every
        // frame ever written (hundreds of MB under load). Four writers that never pause write 192 MiB here.
        var wal = Path.Combine(_dataDirectory, SqliteDocumentStore.FileName) + "-wal";
        Sqlite.CheckpointInterval = TimeSpan.FromMilliseconds(50);
        const int Writers = 4, Appends = 768, Size = 64 * 1024;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Appends; i++)
                await Store.AppendAsync(new DocumentKey("w", $"steady-{w}"), [new UpdateRecord(new byte[Size], null, DateTimeOffset.UtcNow)]);
        })).ToArray();

        long largest = 0;
        var all = Task.WhenAll(writers);
        while (!all.IsCompleted)
        {
            if (File.Exists(wal)) largest = Math.Max(largest, new FileInfo(wal).Length);
            await Task.Delay(10);
        }
        await all;

        const long Written = (long)Writers * Appends * Size;
        Assert.True(Sqlite.WalRestarts > 0, "the loop never rewound the WAL");
        Assert.True(largest < Written / 3, $"the WAL grew to {largest >> 20} MiB of the {Written >> 20} MiB written");
        for (var w = 0; w < Writers; w++)
        {
            var loaded = (await Store.LoadAsync(new DocumentKey("w", $"steady-{w}")))!;
            Assert.Equal(Appends, loaded.Log.Count);
            Assert.All(loaded.Log, u => Assert.Equal(Size, u.Payload.Length));
        }
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_fails_with_a_data_directory_hint()
    {
        var file = Path.Combine(_dataDirectory, "not-a-directory");
        File.WriteAllText(file, "");

        var e = Assert.Throws<StorageException>(() => SqliteDocumentStore.Open(Path.Combine(file, "data")));

        Assert.Equal(StorageErrorKind.Unavailable, e.Kind);
        Assert.Contains("Collab__DataDirectory", e.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_with_a_clear_message()
    {
        var dir = Path.Combine(_dataDirectory, "garbage");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, SqliteDocumentStore.FileName), new string('x', 8192));
        await using var store = SqliteDocumentStore.Open(dir);

        var e = await Assert.ThrowsAsync<StorageException>(() => store.MigrateAsync());

        Assert.Equal(StorageErrorKind.SchemaMismatch, e.Kind);
        Assert.Contains("not a Collab SQLite database", e.Message);
    }

    private SqliteDocumentStore Sqlite => (SqliteDocumentStore)Store;

    protected override string PoisonTriggerSql => """
        CREATE TRIGGER poison BEFORE INSERT ON document_updates WHEN length(NEW.payload) = 777
        BEGIN SELECT RAISE(ABORT, 'poisoned update'); END
        """;

    protected override long SharedAppendTransactions => Volatile.Read(ref Sqlite.SharedAppendTransactions);

    protected override void AssertCrashWriterSharedTransactions(long shared) =>
        Assert.True(shared > 0, "the crash writer's documents never shared a transaction: the kill did not test batching");
}

/// <summary>The whole SQLite suite again with <see cref="StorageDurability.Write"/> (synchronous=NORMAL): the crash tests
/// show a killed process still loses nothing it reported committed.</summary>
public sealed class SqliteWriteDurabilityTests : SqliteDocumentStoreTests
{
    protected override StorageDurability Durability => StorageDurability.Write;
}
