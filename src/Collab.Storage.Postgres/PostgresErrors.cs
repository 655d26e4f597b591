using Npgsql;

namespace Collab.Storage.Postgres;

/// <summary>Turns Npgsql's exceptions into <see cref="StorageException"/>s whose messages say what to do.</summary>
internal static class PostgresErrors
{
    public const string ConnectionStringHint =
        "Set the connection string (Collab:Storage:Postgres, env Collab__Storage__Postgres) like " +
        "'Host=db.example;Port=5432;Username=collab;Password=...;Database=collab'.";

    public static StorageException Translate(NpgsqlException e, NpgsqlConnectionStringBuilder cs)
    {
        var where = $"PostgreSQL at {cs.Host}:{cs.Port}, database '{cs.Database}', user '{cs.Username}'";
        if (e is PostgresException pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => new(
                    StorageErrorKind.Configuration,
                    $"{where} refused the login ({pg.MessageText}). Check Username and Password in the connection string, " +
                    "and pg_hba.conf on the server. " + ConnectionStringHint, e),
                PostgresErrorCodes.InvalidCatalogName => new(
                    StorageErrorKind.Configuration,
                    $"{where}: the database does not exist ({pg.MessageText}). Create it (createdb -O {cs.Username} {cs.Database}) " +
                    "or fix Database= in the connection string.", e),
                PostgresErrorCodes.InsufficientPrivilege => new(
                    StorageErrorKind.Configuration,
                    $"{where}: permission denied ({pg.MessageText}). Grant the user CREATE on the database and schema " +
                    "(migrations create tables) or connect as the owner.", e),
                PostgresErrorCodes.UndefinedTable => new(
                    StorageErrorKind.SchemaMismatch,
                    $"{where}: a Collab table is missing ({pg.MessageText}). Call MigrateAsync at start-up, and check that " +
                    "Search Path in the connection string names the schema the tables were created in.", e),
                PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                    or PostgresErrorCodes.TooManyConnections => new(
                    StorageErrorKind.Unavailable,
                    $"{where} is not accepting work right now ({pg.MessageText}). Retry; if it persists, check the server.", e),
                _ => new(StorageErrorKind.Failed, $"{where} failed: {pg.SqlState} {pg.MessageText}", e),
            };
        }
        return new(StorageErrorKind.Unavailable,
            $"Cannot reach {where} ({Innermost(e).Message}). Check that PostgreSQL is running and reachable from here. " +
            ConnectionStringHint, e);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
