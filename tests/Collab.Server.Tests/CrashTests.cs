using Collab.Server.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Collab.Server.Tests;

/// <summary>
/// The server process killed with SIGKILL in the middle of a stream of edits, then restarted on the same storage:
/// nothing any client had received is lost. On the embedded SQLite store and on PostgreSQL (COLLAB_TEST_POSTGRES,
/// default the local server that tests/Collab.Storage.Tests/setup-postgres.sh starts).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=collab;Password=collab;Database=collab_test";

    private static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("COLLAB_TEST_POSTGRES") is { Length: > 0 } cs ? cs : DefaultPostgres;

    [Fact]
    public Task Kill_9_during_a_stream_of_edits_loses_nothing_a_client_received_on_sqlite() =>
        WithSqliteAsync(KillDuringStreamAsync);

    [Fact]
    public Task Kill_9_during_a_stream_of_edits_loses_nothing_a_client_received_on_postgres() =>
        WithPostgresAsync(KillDuringStreamAsync);

    // Write durability gives up only the disk's flush (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off):
    // what the server broadcast is in the database's hands, which a killed server process cannot take back.
    [Fact]
    public Task Kill_9_during_a_stream_of_edits_loses_nothing_a_client_received_on_sqlite_with_Write_durability() =>
        WithSqliteAsync(settings => KillDuringStreamAsync(WithWriteDurability(settings)));

    [Fact]
    public Task Kill_9_during_a_stream_of_edits_loses_nothing_a_client_received_on_postgres_with_Write_durability() =>
        WithPostgresAsync(settings => KillDuringStreamAsync(WithWriteDurability(settings)));

    [Fact]
    public Task Content_survives_a_graceful_restart_on_sqlite() => WithSqliteAsync(RestartAsync);

    [Fact]
    public Task Content_survives_a_graceful_restart_on_postgres() => WithPostgresAsync(RestartAsync);

    private async Task KillDuringStreamAsync(Dictionary<string, string> settings)
    {
        string[] received;
        int written;
        int port;
        await using (var first = await ServerProcess.StartAsync(settings))
        {
            port = first.Port;
            var durability = settings.TryGetValue("Collab:Storage:Durability", out var d) ? d : "Flush";
            Assert.True(await first.PrintedAsync($"durability {durability}", TimeSpan.FromSeconds(5)), // the store runs in the mode under test
                $"the server did not log 'durability {durability}':\n{first.Output}");
            await using var stream = NodeScenario.Start("stream", new { url = first.WsUrl, room = "crash/doc", writers = 2, intervalMs = 3 });
            await stream.NextLineAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(1500);
            first.KillHard();
            var result = await stream.ResultAsync(TimeSpan.FromSeconds(30));
            received = result.GetProperty("received").EnumerateArray().Select(e => e.GetString()!).ToArray();
            written = result.GetProperty("written").GetInt32();
        }

        Assert.True(received.Length > 20, $"only {received.Length} items reached the observer before the kill");
        await using var second = await ServerProcess.StartAsync(settings, port);
        var read = await NodeScenario.RunAsync("read", new { url = second.WsUrl, room = "crash/doc" });
        var stored = read.GetProperty("content").GetProperty("array").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        var lost = received.Where(r => !stored.Contains(r)).ToList();
        output.WriteLine($"kill -9: written {written}, received by the observer {received.Length}, stored after restart {stored.Count}, lost {lost.Count}");
        Assert.True(lost.Count == 0, $"{lost.Count} of {received.Length} received items were lost (written {written}): {string.Join(", ", lost.Take(10))}");
    }

    private static Dictionary<string, string> WithWriteDurability(Dictionary<string, string> settings) =>
        new(settings) { ["Collab:Storage:Durability"] = "Write" };

    private async Task RestartAsync(Dictionary<string, string> settings)
    {
        string expected;
        await using (var first = await ServerProcess.StartAsync(settings))
        {
            var written = await NodeScenario.RunAsync("converge", new { url = first.WsUrl, room = "restart/doc", clients = 3, edits = 20, seed = 5 });
            expected = written.GetProperty("content").GetRawText();
        }

        await using var second = await ServerProcess.StartAsync(settings);
        var read = await NodeScenario.RunAsync("read", new { url = second.WsUrl, room = "restart/doc" });
        Assert.Equal(expected, read.GetProperty("content").GetRawText());
        output.WriteLine("restart: content equal");
    }

    private static async Task WithSqliteAsync(Func<Dictionary<string, string>, Task> test)
    {
        string dir = Path.Combine(Path.GetTempPath(), "collab-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            await test(new Dictionary<string, string> { ["Collab:DataDirectory"] = dir });
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task WithPostgresAsync(Func<Dictionary<string, string>, Task> test)
    {
        string schema = "srv_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE SCHEMA \"{schema}\"");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = schema };
            await test(new Dictionary<string, string> { ["Collab:Storage:Postgres"] = builder.ConnectionString });
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                "The PostgreSQL server tests need a server: run tests/Collab.Storage.Tests/setup-postgres.sh, or set " +
                $"COLLAB_TEST_POSTGRES to a connection string. {e.Message}", e);
        }
    }
}
