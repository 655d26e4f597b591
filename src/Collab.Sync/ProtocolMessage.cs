namespace Collab.Sync;

/// <summary>
/// One decoded y-websocket frame. The payload is a view into the frame (no copy): the state vector of a
/// step 1, the update of a step 2 or update, the encoded awareness update, or empty.
/// </summary>
public readonly struct ProtocolMessage
{
    private ProtocolMessage(MessageType type, SyncMessageType syncType, ReadOnlyMemory<byte> payload, string? reason)
    {
        Type = type;
        SyncType = syncType;
        Payload = payload;
        Reason = reason;
    }

    public MessageType Type { get; }

    /// <summary>Meaningful only when <see cref="Type"/> is <see cref="MessageType.Sync"/>.</summary>
    public SyncMessageType SyncType { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The permission-denied reason of an auth message.</summary>
    public string? Reason { get; }

    /// <summary>True for the frames a read-only connection may not send: <c>[0,1]</c> (step 2) and <c>[0,2]</c> (update).</summary>
    public bool IsWrite => Type == MessageType.Sync && SyncType != SyncMessageType.Step1;

    // sync:            0, varUint subType (0 step1 | 1 step2 | 2 update), varUint8Array payload
    // awareness:       1, varUint8Array awarenessUpdate
    // auth:            2, varUint 0 (permission denied), varString reason
    // query-awareness: 3
    /// <summary>Decodes one frame; the whole frame must be one message.</summary>
    public static ProtocolMessage Decode(ReadOnlyMemory<byte> frame)
    {
        var reader = new Lib0Reader(frame.Span);
        ulong type = reader.ReadVarUint();
        switch (type)
        {
            case (ulong)MessageType.Sync:
            {
                ulong sub = reader.ReadVarUint();
                if (sub > (ulong)SyncMessageType.Update)
                {
                    SyncThrowHelper.Invalid(SyncProtocolError.UnknownSyncMessageType, $"Unknown sync message type {sub}; expected 0 (step 1), 1 (step 2) or 2 (update).");
                }

                var (offset, length) = reader.ReadVarUint8ArrayRange();
                reader.EnsureEnd("sync message");
                return new ProtocolMessage(MessageType.Sync, (SyncMessageType)sub, frame.Slice(offset, length), null);
            }

            case (ulong)MessageType.Awareness:
            {
                var (offset, length) = reader.ReadVarUint8ArrayRange();
                reader.EnsureEnd("awareness message");
                return new ProtocolMessage(MessageType.Awareness, default, frame.Slice(offset, length), null);
            }

            case (ulong)MessageType.Auth:
            {
                ulong sub = reader.ReadVarUint();
                if (sub != (ulong)AuthMessageType.PermissionDenied)
                {
                    SyncThrowHelper.Invalid(SyncProtocolError.UnknownAuthMessageType, $"Unknown auth message type {sub}; expected 0 (permission denied).");
                }

                string reason = reader.ReadVarString();
                reader.EnsureEnd("auth message");
                return new ProtocolMessage(MessageType.Auth, default, ReadOnlyMemory<byte>.Empty, reason);
            }

            case (ulong)MessageType.QueryAwareness:
                reader.EnsureEnd("query-awareness message");
                return new ProtocolMessage(MessageType.QueryAwareness, default, ReadOnlyMemory<byte>.Empty, null);

            default:
                SyncThrowHelper.Invalid(SyncProtocolError.UnknownMessageType, $"Unknown message type {type}; expected 0 (sync), 1 (awareness), 2 (auth) or 3 (query-awareness).");
                return default;
        }
    }
}
