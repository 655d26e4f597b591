namespace Collab.Sync;

/// <summary>Encoders of whole y-websocket frames, each the bytes y-protocols writes for the same input.</summary>
public static class SyncMessages
{
    // 0, 0, varUint8Array stateVector
    public static byte[] EncodeSyncStep1(ReadOnlySpan<byte> stateVector) => EncodeSync(SyncMessageType.Step1, stateVector);

    // 0, 1, varUint8Array update
    public static byte[] EncodeSyncStep2(ReadOnlySpan<byte> update) => EncodeSync(SyncMessageType.Step2, update);

    // 0, 2, varUint8Array update
    public static byte[] EncodeUpdate(ReadOnlySpan<byte> update) => EncodeSync(SyncMessageType.Update, update);

    // 1, varUint8Array awarenessUpdate
    public static byte[] EncodeAwareness(ReadOnlySpan<byte> awarenessUpdate)
    {
        var frame = new byte[1 + Lib0Writer.VarUintSize((ulong)awarenessUpdate.Length) + awarenessUpdate.Length];
        frame[0] = (byte)MessageType.Awareness;
        int pos = WriteVarUint(frame, 1, (ulong)awarenessUpdate.Length);
        awarenessUpdate.CopyTo(frame.AsSpan(pos));
        return frame;
    }

    // 2, 0, varString reason
    public static byte[] EncodePermissionDenied(string reason)
    {
        var writer = new Lib0Writer(reason.Length + 8);
        writer.WriteVarUint((ulong)MessageType.Auth);
        writer.WriteVarUint((ulong)AuthMessageType.PermissionDenied);
        writer.WriteVarString(reason);
        return writer.ToArray();
    }

    // 3
    public static byte[] EncodeQueryAwareness() => [(byte)MessageType.QueryAwareness];

    private static byte[] EncodeSync(SyncMessageType sub, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[2 + Lib0Writer.VarUintSize((ulong)payload.Length) + payload.Length];
        frame[0] = (byte)MessageType.Sync;
        frame[1] = (byte)sub;
        int pos = WriteVarUint(frame, 2, (ulong)payload.Length);
        payload.CopyTo(frame.AsSpan(pos));
        return frame;
    }

    private static int WriteVarUint(byte[] buf, int pos, ulong value)
    {
        while (value > 0x7F)
        {
            buf[pos++] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }

        buf[pos++] = (byte)value;
        return pos;
    }
}
