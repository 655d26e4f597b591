using Collab.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Collab.Storage.Tests;

/// <summary>The shared contract on SQLite (a fresh data directory per test), plus what only SQLite has.</summary>
public sealed class SqliteDocumentStoreTests : DocumentStoreContract
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "collab-storage-tests", Guid.NewGuid().ToString("N"));

    protected override IDocumentStore OpenStore() => SqliteDocumentStore.Open(_dataDirectory);

    protected override string[] CrashWriterArguments() => ["sqlite", _dataDirectory];

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, SqliteDocumentStore.FileName)};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
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
}
