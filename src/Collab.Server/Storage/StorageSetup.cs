using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Storage;
using Collab.Storage.Postgres;
using Collab.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Server.Storage;

/// <summary>Chooses the storage backend from configuration and migrates it at start-up.</summary>
internal static class StorageSetup
{
    /// <summary>Registers the configured <see cref="IDocumentStore"/> unless the host already registered one (tests do).</summary>
    public static void AddCollabStorage(IServiceCollection services, CollabOptions options)
    {
        string provider = (options.Storage.Provider
            ?? (string.IsNullOrWhiteSpace(options.Storage.Postgres) ? "sqlite" : "postgres")).ToLowerInvariant();
        switch (provider)
        {
            case "memory":
                services.TryAddSingleton<IDocumentStore, InMemoryDocumentStore>();
                break;
            case "postgres":
                if (string.IsNullOrWhiteSpace(options.Storage.Postgres))
                {
                    throw new InvalidOperationException(
                        "Collab:Storage:Provider is postgres but Collab:Storage:Postgres (env Collab__Storage__Postgres) holds no connection string.");
                }

                services.TryAddSingleton<IDocumentStore>(_ => PostgresDocumentStore.Create(options.Storage.Postgres, durability: options.Storage.Durability));
                break;
            case "sqlite":
                services.TryAddSingleton<IDocumentStore>(_ => SqliteDocumentStore.Open(options.DataDirectory, options.Storage.Durability));
                break;
            default:
                throw new InvalidOperationException($"Unknown Collab:Storage:Provider '{options.Storage.Provider}'; use sqlite, postgres or memory.");
        }

        services.AddHostedService<StorageInitializer>();
    }

    /// <summary>Applies migrations before the server accepts connections.</summary>
    private sealed class StorageInitializer(IDocumentStore store, IOptions<CollabOptions> options, ILogger<StorageInitializer> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            ServerLog.StorageBackend(logger, Describe(store, options.Value));
            if (store is InMemoryDocumentStore)
            {
                ServerLog.VolatileStorage(logger);
            }
            else if (options.Value.Storage.Durability == StorageDurability.Write)
            {
                ServerLog.WriteDurability(logger);
            }

            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private static string Describe(IDocumentStore store, CollabOptions options) => store switch
        {
            InMemoryDocumentStore => "in memory",
            PostgresDocumentStore postgres => $"PostgreSQL, durability {postgres.Durability}",
            SqliteDocumentStore sqlite => $"SQLite ({sqlite.DatabasePath}), durability {sqlite.Durability}",
            _ => store.GetType().Name,
        };
    }
}
