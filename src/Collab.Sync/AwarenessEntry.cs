namespace Collab.Sync;

/// <summary>One client's entry in an awareness update: its state as JSON text, <c>null</c> when the client is gone.</summary>
public readonly record struct AwarenessEntry(ulong ClientId, ulong Clock, string Json)
{
    /// <summary>True when the entry announces that the client left (its state is JSON <c>null</c>).</summary>
    public bool IsRemoved => Json == "null";
}
