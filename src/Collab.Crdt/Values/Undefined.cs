namespace Collab.Crdt;

/// <summary>JavaScript's <c>undefined</c>, distinct from <c>null</c> in lib0's <c>any</c> encoding (tag 127).</summary>
public sealed class Undefined
{
    public static readonly Undefined Value = new();

    private Undefined()
    {
    }

    public override string ToString() => "undefined";
}
