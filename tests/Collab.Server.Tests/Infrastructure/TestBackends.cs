using Collab.Storage;
using Collab.Storage.Postgres;
using Collab.Storage.Sqlite;
using Npgsql;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>
/// A <see cref="TestStore"/> over a real backend for the tests that run on each: <c>memory</c>, <c>sqlite</c> (a fresh
/// temporary directory) or <c>postgres</c> (a fresh schema on COLLAB_TEST_POSTGRES, default the local server that
/// tests/Collab.Storage.Tests/setup-postgres.sh starts). Disposing removes what it created.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=collab;Password=collab;Database=collab_test";
    private readonly Func<Task> _cleanup;

    private TestBackend(TestStore store, Func<Task> cleanup)
    {
        Store = store;
        _cleanup = cleanup;
    }

    public TestStore Store { get; }

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("COLLAB_TEST_POSTGRES") is { Length: > 0 } cs ? cs : DefaultPostgres;

    public static async Task<TestBackend> CreateAsync(string backend)
    {
        switch (backend)
        {
            case "memory":
                return new TestBackend(new TestStore(), () => Task.CompletedTask);
            case "sqlite":
            {
                string dir = Path.Combine(Path.GetTempPath(), "collab-api-" + Guid.NewGuid().ToString("N"));
                var sqlite = SqliteDocumentStore.Open(dir);
                await sqlite.MigrateAsync();
                return new TestBackend(new TestStore(sqlite), async () =>
                {
                    await sqlite.DisposeAsync();
                    try
                    {
                        Directory.Delete(dir, recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                });
            }

            case "postgres":
            {
                string schema = "api_" + Guid.NewGuid().ToString("N");
                IDocumentStore postgres;
                try
                {
                    postgres = PostgresDocumentStore.Create(PostgresConnectionString, schema);
                    await postgres.MigrateAsync();
                }
                catch (StorageException e)
                {
                    throw new InvalidOperationException(
                        "The PostgreSQL API tests need a server: run tests/Collab.Storage.Tests/setup-postgres.sh, or set " +
                        $"COLLAB_TEST_POSTGRES to a connection string. {e.Message}", e);
                }

                return new TestBackend(new TestStore(postgres), async () =>
                {
                    await postgres.DisposeAsync();
                    await using var connection = new NpgsqlConnection(PostgresConnectionString);
                    await connection.OpenAsync();
                    await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
                    await drop.ExecuteNonQueryAsync();
                });
            }

            default:
                throw new ArgumentException($"unknown backend {backend}", nameof(backend));
        }
    }

    public async ValueTask DisposeAsync() => await _cleanup();
}
