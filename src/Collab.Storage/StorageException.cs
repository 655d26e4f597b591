namespace Collab.Storage;

/// <summary>What went wrong in a storage call, so callers can react without parsing messages.</summary>
public enum StorageErrorKind
{
    /// <summary>The database cannot be reached or opened (server down, file not writable, disk full).</summary>
    Unavailable,

    /// <summary>The configuration is wrong (bad connection string, login refused, database missing).</summary>
    Configuration,

    /// <summary>The schema is not one this version understands (migrated by a newer version, or not a Collab database).</summary>
    SchemaMismatch,

    /// <summary>The document does not exist.</summary>
    DocumentNotFound,

    /// <summary>The call contradicts what is stored (e.g. compacting past the end of the log).</summary>
    Conflict,

    /// <summary>Any other database error; the inner exception has the details.</summary>
    Failed,
}

/// <summary>
/// The one exception family the stores throw for database trouble. Messages say what was wrong and what to do;
/// the driver's exception, if any, is the inner exception. Argument errors stay <see cref="ArgumentException"/>
/// and cancellation stays <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public StorageErrorKind Kind { get; }

    /// <summary>True when retrying later may succeed (the database was unreachable or busy).</summary>
    public bool IsTransient => Kind == StorageErrorKind.Unavailable;
}
