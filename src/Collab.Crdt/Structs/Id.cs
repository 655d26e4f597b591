namespace Collab.Crdt;

/// <summary>A struct's identity: the client that created it and that client's clock at creation.</summary>
public readonly record struct Id(ulong Client, long Clock)
{
    public override string ToString() => $"{Client}:{Clock}";
}
