using Collab.Storage.Postgres;
using Collab.Storage.Postgres.Schema;
using Npgsql;

namespace Collab.Storage.Tests;

/// <summary>
/// The shared contract on PostgreSQL (a fresh schema per test in the database named by COLLAB_TEST_POSTGRES),
/// plus what only PostgreSQL has. These tests fail, not skip, when the server is missing: CI starts one with
/// tests/Collab.Storage.Tests/setup-postgres.sh.
/// </summary>
public class PostgresDocumentStoreTests : DocumentStoreContract
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=collab;Password=collab;Database=collab_test";

    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");

    private static string ConnectionString =>
        Environment.GetEnvironmentVariable("COLLAB_TEST_POSTGRES") is { Length: > 0 } cs ? cs : DefaultConnectionString;

    protected override IDocumentStore OpenStore() => PostgresDocumentStore.Create(ConnectionString, _schema, Durability);

    // the crash writer's connections carry a name of their own, so that WaitForKilledWriterAsync can find them
    private string CrashWriterName => "crash-" + _schema;

    protected override string[] CrashWriterArguments() => ["postgres", ConnectionString + ";Application Name=" + CrashWriterName, _schema];

    // A batch the killed writer had sent in full still runs to its commit in its backend: PostgreSQL notices the dead
    // client only when it next reads from or writes to its socket. Until those backends are gone, a read could come
    // before such a commit and the test's next append after it (a CI run saw seq 82 where 78 was expected: four
    // updates committed after the store was read, none lost). Waits until none of the writer's backends is left.
    protected override async Task WaitForKilledWriterAsync()
    {
        await using var admin = new NpgsqlConnection(ConnectionString);
        await admin.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", admin);
        count.Parameters.AddWithValue("name", CrashWriterName);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((long)(await count.ExecuteScalarAsync())! > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "the killed crash writer's PostgreSQL backends did not end within 15 s");
            await Task.Delay(20);
        }
    }

    public override async Task InitializeAsync()
    {
        try
        {
            await base.InitializeAsync();
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.Unavailable or StorageErrorKind.Configuration)
        {
            throw new InvalidOperationException(
                "The PostgreSQL storage tests need a server: run tests/Collab.Storage.Tests/setup-postgres.sh, " +
                $"or set COLLAB_TEST_POSTGRES to a connection string. {e.Message}", e);
        }
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString + ";Search Path=" + _schema);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task<long> CountAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString + ";Search Path=" + _schema);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    protected override int HistoryAtCompactionVersion => 3;

    protected override string HistoryTable => "document_history_runs";

    protected override string HistoryEntriesSql => "SELECT coalesce(sum(cardinality(sizes)), 0)::bigint FROM document_history_runs";

    // the version-2 table back, a row for every entry of the runs and of the log; migrations 3, 4 and 5 to run again
    protected override string HistoryWrittenWithEveryAppendSql => $"""
        {DocumentHistoryTable.Create}
        {RunsAsHistoryRows}
        INSERT INTO document_history (document_id, seq, received_at, size, origin)
        SELECT document_id, seq, received_at, length(payload), origin FROM document_updates;
        DROP TABLE document_history_runs;
        DELETE FROM schema_migrations WHERE version >= {HistoryAtCompactionVersion};
        """;

    private const string RunsAsHistoryRows = """
        INSERT INTO document_history (document_id, seq, received_at, size, origin)
        SELECT r.document_id, r.first_seq + e.i - 1, e.received_at, e.size, e.origin
        FROM document_history_runs r, unnest(r.received_at, r.sizes, r.origins) WITH ORDINALITY AS e (received_at, size, origin, i);
        """;

    protected override string PoisonTriggerSql => """
        CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF length(NEW.payload) = 777 THEN RAISE EXCEPTION 'poisoned update'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER poison BEFORE INSERT ON document_updates FOR EACH ROW EXECUTE FUNCTION poison();
        """;

    protected override long SharedAppendTransactions => Interlocked.Read(ref ((PostgresDocumentStore)Store).SharedAppendTransactions);

    protected override async Task CleanUpAsync()
    {
        try
        {
            await using var c = new NpgsqlConnection(ConnectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // the server is gone; InitializeAsync has already reported that
        }
    }

    protected override void AssertCrashWriterSharedTransactions(long shared) =>
        Assert.True(shared > 0, "the crash writer's documents never shared a transaction: the kill did not test batching");

    [Fact]
    public async Task The_sessions_commit_synchronously_only_when_the_durability_is_Flush()
    {
        Assert.Equal(Durability == StorageDurability.Flush ? "on" : "off", await ((PostgresDocumentStore)Store).ShowSettingAsync("synchronous_commit"));
        Assert.Equal(Durability, ((PostgresDocumentStore)Store).Durability);
    }

    [Fact]
    public async Task A_connection_strings_own_options_are_kept_beside_the_durability_setting()
    {
        await using var store = PostgresDocumentStore.Create(ConnectionString + ";Options=-c statement_timeout=12345", _schema, Durability);
        Assert.Equal(Durability == StorageDurability.Flush ? "on" : "off", await store.ShowSettingAsync("synchronous_commit"));
        Assert.Equal("12345ms", await store.ShowSettingAsync("statement_timeout"));
    }

    [Fact]
    public async Task Compaction_writes_the_history_as_runs_of_at_most_MaxEntries_and_migration_5_groups_old_rows_the_same_way()
    {
        var doc = new DocumentKey("acme", "long");
        var total = HistoryRuns.MaxEntries + 500;
        await Store.AppendAsync(doc, TestUpdates.Batch(1, total, size: 9));
        var retired = HistoryRuns.MaxEntries + 400;
        await Store.CompactAsync(doc, TestUpdates.Snapshot(Enumerable.Range(1, retired).Select(i => (long)i)), retired);
        var catalog = (IDocumentCatalog)Store;

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM document_history_runs"));
        Assert.Equal(retired, await CountAsync(HistoryEntriesSql));
        Assert.Equal(Enumerable.Range(HistoryRuns.MaxEntries - 2, 6).Select(i => (long)i),
            (await catalog.ReadHistoryAsync(doc, HistoryRuns.MaxEntries - 3, 6)).Select(h => h.Seq)); // across the runs' boundary
        Assert.Equal(Enumerable.Range(retired - 1, 4).Select(i => (long)i),
            (await catalog.ReadHistoryAsync(doc, retired - 2, 4)).Select(h => h.Seq)); // from the runs into the log

        // as a version-4 database whose history lost the row of seq 100 (a gap: no run spans it)
        await ExecuteSqlAsync($"""
            {DocumentHistoryTable.Create}
            {RunsAsHistoryRows}
            DELETE FROM document_history WHERE seq = 100;
            DROP TABLE document_history_runs;
            DELETE FROM schema_migrations WHERE version >= 5;
            """);
        await using var upgraded = OpenStore();
        await upgraded.MigrateAsync();

        // a run ends at the gap and after every MaxEntries-th entry of the document's history
        Assert.Equal(
            [(1L, 99L), (101, HistoryRuns.MaxEntries + 1), (HistoryRuns.MaxEntries + 2, retired)],
            await RunsAsync());
        var history = await ((IDocumentCatalog)upgraded).ReadHistoryAsync(doc, 0, 100_000);
        Assert.Equal(Enumerable.Range(1, total).Where(i => i != 100).Select(i => (long)i), history.Select(h => h.Seq));
        Assert.All(history, h => Assert.Equal(9, h.Size));
        Assert.Equal([99L, 101, 102], (await ((IDocumentCatalog)upgraded).ReadHistoryAsync(doc, 98, 3)).Select(h => h.Seq));
    }

    private async Task<List<(long First, long Last)>> RunsAsync()
    {
        await using var c = new NpgsqlConnection(ConnectionString + ";Search Path=" + _schema);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT first_seq, last_seq FROM document_history_runs ORDER BY last_seq", c);
        await using var r = await cmd.ExecuteReaderAsync();
        var runs = new List<(long, long)>();
        while (await r.ReadAsync()) runs.Add((r.GetInt64(0), r.GetInt64(1)));
        return runs;
    }

    [Fact]
    public async Task Concurrent_appends_to_many_documents_share_transactions_and_keep_each_documents_seqs()
    {
        var keys = Enumerable.Range(0, 40).Select(i => new DocumentKey("w", $"doc{i:D2}")).ToArray();
        // five rounds of one append per document, all in flight at once: the loop groups them
        for (var round = 0; round < 5; round++)
        {
            var seqs = await Task.WhenAll(keys.Select(k => Store.AppendAsync(k, TestUpdates.Batch(round * 2 + 1, 2))));
            Assert.All(seqs, seq => Assert.Equal(round * 2 + 2, seq));
        }

        Assert.True(SharedAppendTransactions > 0, "no transaction held more than one append");
        foreach (var k in keys)
        {
            var doc = (await Store.LoadAsync(k))!;
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), doc.Log.Select(u => u.Seq));
            Assert.Equal(TestUpdates.Batch(1, 10).Select(u => u.Payload), doc.Log.Select(u => u.Payload));
        }
    }

    [Fact]
    public async Task After_its_connection_is_killed_the_append_writer_reconnects()
    {
        // the group-commit thread keeps one connection: when PostgreSQL ends its backend, the append in flight then
        // fails (nothing of it stored) and the next one opens a new connection
        var name = "collab-kill-" + Guid.NewGuid().ToString("N")[..8];
        var doc = new DocumentKey("kill", "doc");
        await using var store = PostgresDocumentStore.Create(ConnectionString + ";Application Name=" + name, _schema);
        Assert.Equal(2, await store.AppendAsync(doc, TestUpdates.Batch(1, 2)));

        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", admin);
            kill.Parameters.AddWithValue("name", name);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        var failures = 0;
        var next = 3L;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Assert.Equal(next, await store.AppendAsync(doc, [TestUpdates.Update(next)]));
                next++;
            }
            catch (StorageException)
            {
                failures++;
            }
        }

        Assert.True(failures <= 1, $"{failures} appends failed after one kill");
        Assert.Equal(next - 1, TestUpdates.AssertContiguousFromOne(TestUpdates.IdsOf((await store.LoadAsync(doc))!)));
    }

    [Fact]
    public async Task Concurrent_start_ups_migrate_the_schema_once()
    {
        var shared = "t_" + Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, 5).Select(_ => PostgresDocumentStore.Create(ConnectionString, shared)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));
            await using var c = new NpgsqlConnection(ConnectionString + ";Search Path=" + shared);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", c);
            Assert.Equal((long)PostgresMigrations.Latest, await cmd.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
            await using var c = new NpgsqlConnection(ConnectionString);
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{shared}\" CASCADE", c);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_a_connection_string_hint()
    {
        await using var store = PostgresDocumentStore.Create("Host=127.0.0.1;Port=1;Username=collab;Password=secret-pw;Database=collab;Timeout=3");

        var e = await Assert.ThrowsAsync<StorageException>(() => store.MigrateAsync());

        Assert.Equal(StorageErrorKind.Unavailable, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1", e.Message);
        Assert.Contains("Collab__Storage__Postgres", e.Message);
        Assert.DoesNotContain("secret-pw", e.Message);
        Assert.False(await store.PingAsync());
    }

    [Fact]
    public async Task A_wrong_password_fails_with_a_login_hint()
    {
        var cs = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "wrong-password" }.ConnectionString;
        await using var store = PostgresDocumentStore.Create(cs, _schema);

        var e = await Assert.ThrowsAsync<StorageException>(() => store.LoadAsync(new DocumentKey("w", "d")));

        Assert.Equal(StorageErrorKind.Configuration, e.Kind);
        Assert.Contains("refused the login", e.Message);
        Assert.DoesNotContain("wrong-password", e.Message);
    }

    [Fact]
    public async Task A_missing_database_fails_with_a_createdb_hint()
    {
        var cs = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "collab_no_such_db" }.ConnectionString;
        await using var store = PostgresDocumentStore.Create(cs);

        var e = await Assert.ThrowsAsync<StorageException>(() => store.MigrateAsync());

        Assert.Equal(StorageErrorKind.Configuration, e.Kind);
        Assert.Contains("createdb", e.Message);
    }

    [Fact]
    public void A_malformed_connection_string_fails_with_an_example()
    {
        var e = Assert.Throws<StorageException>(() => PostgresDocumentStore.Create("Hots=db;Pasword=pw"));

        Assert.Equal(StorageErrorKind.Configuration, e.Kind);
        Assert.Contains("Host=", e.Message);
    }
}

/// <summary>The whole PostgreSQL suite again with <see cref="StorageDurability.Write"/> (synchronous_commit=off): the
/// crash tests show a killed process still loses nothing it reported committed.</summary>
public sealed class PostgresWriteDurabilityTests : PostgresDocumentStoreTests
{
    protected override StorageDurability Durability => StorageDurability.Write;
}
