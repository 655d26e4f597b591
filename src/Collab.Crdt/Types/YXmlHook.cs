namespace Collab.Crdt;

/// <summary>A map with a hook name, for custom nodes in an XML tree (yjs <c>Y.XmlHook</c>).</summary>
public sealed class YXmlHook(string hookName) : YMap
{
    public string HookName { get; } = hookName;

    internal override TypeRef TypeRef => TypeRef.XmlHook;

    internal override string? NodeNameForWire => HookName;
}
