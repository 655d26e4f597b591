namespace Collab.Storage;

/// <summary>
/// A seam for crash tests: the stores call <see cref="Fault"/> at named points inside a transaction, just before
/// it commits; a test throws from there to abort the transaction at that point.
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
