namespace Collab.Sync;

/// <summary>The outer type of a y-websocket message (the first varUint of a frame).</summary>
public enum MessageType : byte
{
    Sync = 0,
    Awareness = 1,
    Auth = 2,
    QueryAwareness = 3,
}

/// <summary>The sub-type of a sync message.</summary>
public enum SyncMessageType : byte
{
    Step1 = 0,
    Step2 = 1,
    Update = 2,
}

/// <summary>The sub-type of an auth message; y-protocols defines only permission denied.</summary>
public enum AuthMessageType : byte
{
    PermissionDenied = 0,
}
