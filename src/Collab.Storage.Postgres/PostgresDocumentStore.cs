using System.Text.RegularExpressions;
using Npgsql;

namespace Collab.Storage.Postgres;

/// <summary>
/// The production store on PostgreSQL. Each call is one transaction on a pooled connection. Appends claim their
/// sequence numbers and write the log in one statement that advances the document's version under its row lock;
/// loads read in one REPEATABLE READ snapshot; migrations run under an advisory lock, so several servers may start
/// at once.
/// </summary>
public sealed partial class PostgresDocumentStore : IDocumentStore, IDocumentCatalog, IStoreHooks, IStoreWarmUp
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly string? _schema;
    private volatile bool _migrated;

    private PostgresDocumentStore(NpgsqlConnectionStringBuilder settings, string? schema, StorageDurability durability)
    {
        _settings = settings;
        Durability = durability;
        _schema = schema;
        _appendQueue = new GroupCommitQueue(WriteAppends, MaxAppendsPerTransaction, MaxBytesPerTransaction, blockingWriter: true);
        _dataSource = NpgsqlDataSource.Create(settings);
    }

    Action<string>? IStoreHooks.Fault { get; set; }

    /// <summary>The schema the tables live in, when one was given to <see cref="Create"/>.</summary>
    public string? Schema => _schema;

    /// <summary>What a write waits for before it returns.</summary>
    public StorageDurability Durability { get; }

    /// <summary>
    /// A store for <paramref name="connectionString"/>. Connects lazily: call <see cref="MigrateAsync"/> at start-up
    /// (other calls migrate on first use too). With <paramref name="schema"/>, the tables live in that schema
    /// (created by the migration) instead of the connection's search path. With <see cref="StorageDurability.Write"/>,
    /// the store's sessions commit with synchronous_commit=off.
    /// </summary>
    public static PostgresDocumentStore Create(string connectionString, string? schema = null, StorageDurability durability = StorageDurability.Flush)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new StorageException(StorageErrorKind.Configuration, "The PostgreSQL connection string is empty. " + PostgresErrors.ConnectionStringHint);
        if (schema is not null && !SchemaName().IsMatch(schema))
            throw new ArgumentException($"'{schema}' is not a plain schema name (lowercase letters, digits, underscores).", nameof(schema));

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            // The driver's message may quote the string, password included: keep it out of ours.
            throw new StorageException(StorageErrorKind.Configuration,
                $"The PostgreSQL connection string is not valid ({e.GetType().Name}). " + PostgresErrors.ConnectionStringHint);
        }
        if (string.IsNullOrEmpty(settings.Host))
            throw new StorageException(StorageErrorKind.Configuration, "The PostgreSQL connection string has no Host. " + PostgresErrors.ConnectionStringHint);
        if (string.IsNullOrEmpty(settings.ApplicationName)) settings.ApplicationName = "collab";
        // The store leaves no session state on a connection (no SET, session locks, temp tables or LISTEN; its advisory
        // lock is transaction-scoped), so the reset Npgsql otherwise sends with the next use of a pooled connection
        // (RESET ALL, CLOSE ALL, UNLISTEN *, ...: parsed and run by PostgreSQL for every group commit) is skipped:
        // 5-8% less PostgreSQL CPU at 8000 appends a second (3 alternating pairs). A connection string may say otherwise
        // (the builder writes every key it was given in this spelling).
        if (!settings.ConnectionString.Contains("No Reset On Close=", StringComparison.OrdinalIgnoreCase)) settings.NoResetOnClose = true;
        if (schema is not null) settings.SearchPath = schema;
        // a start-up parameter of every session the store opens, after any the connection string gives (the last wins)
        if (durability == StorageDurability.Write) settings.Options = (settings.Options + " -c synchronous_commit=off").TrimStart();
        return new PostgresDocumentStore(settings, schema, durability);
    }

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            await using var cmd = _dataSource.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppendLoopAsync().ConfigureAwait(false); // appends queued before this are written first
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EnsureMigratedAsync(CancellationToken ct)
    {
        if (!_migrated) await MigrateAsync(ct).ConfigureAwait(false);
    }

    // Every call's body runs here so that driver errors reach callers as StorageException.
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken ct, bool migrate = true)
    {
        try
        {
            if (migrate) await EnsureMigratedAsync(ct).ConfigureAwait(false);
            await using var c = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await work(c, ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(e, _settings);
        }
    }

    /// <summary>A setting of the store's sessions as PostgreSQL reports it (tests check that the durability took).</summary>
    internal Task<string> ShowSettingAsync(string setting, CancellationToken ct = default)
    {
        if (!SchemaName().IsMatch(setting)) throw new ArgumentException($"'{setting}' is not a setting name.", nameof(setting));
        return RunAsync(async (c, token) =>
        {
            await using var show = new NpgsqlCommand("SHOW " + setting, c);
            return (string)(await show.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, ct, migrate: false);
    }

    private static void AddKey(NpgsqlCommand cmd, DocumentKey key) => AddKey(cmd.Parameters, key);

    private static void AddKey(NpgsqlParameterCollection parameters, DocumentKey key)
    {
        parameters.Add(new NpgsqlParameter<string>("w", key.Workspace));
        parameters.Add(new NpgsqlParameter<string>("n", key.Document));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
