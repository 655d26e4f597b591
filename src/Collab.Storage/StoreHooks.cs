namespace Collab.Storage;

/// <summary>
/// A seam for crash tests: the stores call <see cref="Fault"/> at named points, the last moment before a write
/// commits; a test throws from there to abort it, or hangs there to be killed. Inside the transaction where there is
/// a moment between its statements and COMMIT (SQLite; PostgreSQL compaction); PostgreSQL's append is one statement
/// sent in one round trip, its own transaction, so its point comes just before it is sent.
/// </summary>
internal interface IStoreHooks
{
    Action<string>? Fault { get; set; }
}

internal static class FaultPoints
{
    public const string AppendBeforeCommit = "append.before-commit";
    public const string CompactBeforeCommit = "compact.before-commit";
}
