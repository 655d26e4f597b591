namespace Collab.Crdt.Tests.Oracle;

/// <summary>yjs (or the oracle process around it) could not answer a request.</summary>
public sealed class YjsOracleException(string op, string error) : Exception($"yjs oracle `{op}` failed: {error}")
{
    public string Op { get; } = op;

    public string Error { get; } = error;
}
