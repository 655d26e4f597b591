namespace Collab.Crdt;

/// <summary>The two Yjs update encodings: v1 (<c>Y.encodeStateAsUpdate</c>) and v2 (<c>...V2</c>).</summary>
public enum UpdateFormat
{
    V1 = 1,
    V2 = 2,
}
