namespace Collab.Crdt.Codec;

/// <summary>The writer side of an update format; yjs <c>UpdateEncoderV1</c>/<c>UpdateEncoderV2</c>.</summary>
internal abstract class UpdateEncoder
{
    public Lib0Encoder RestEncoder { get; set; } = new(128);

    public static UpdateEncoder Create(UpdateFormat format) =>
        format == UpdateFormat.V2 ? new UpdateEncoderV2() : new UpdateEncoderV1();

    public abstract byte[] ToArray();

    public abstract void ResetDsCurVal();

    public abstract void WriteDsClock(long clock);

    public abstract void WriteDsLen(long len);

    public abstract void WriteLeftId(Id id);

    public abstract void WriteRightId(Id id);

    public abstract void WriteClient(ulong client);

    public abstract void WriteInfo(byte info);

    public abstract void WriteString(string s);

    /// <summary>Writes <c>s.slice(start)</c>.</summary>
    public abstract void WriteString(string s, int start);

    public abstract void WriteParentInfo(bool isYKey);

    public abstract void WriteTypeRef(int typeRef);

    public abstract void WriteLen(long len);

    public void WriteAny(object? value) => AnyCodec.Write(RestEncoder, value);

    public void WriteBuf(byte[] buf) => RestEncoder.WriteVarUint8Array(buf);

    public abstract void WriteJson(object? value);

    public abstract void WriteKey(string key);
}

/// <summary>v1: everything in one stream, in struct order.</summary>
internal sealed class UpdateEncoderV1 : UpdateEncoder
{
    public override byte[] ToArray() => RestEncoder.ToArray();

    public override void ResetDsCurVal()
    {
    }

    public override void WriteDsClock(long clock) => RestEncoder.WriteVarUint(clock);

    public override void WriteDsLen(long len) => RestEncoder.WriteVarUint(len);

    public override void WriteLeftId(Id id)
    {
        RestEncoder.WriteVarUint(id.Client);
        RestEncoder.WriteVarUint(id.Clock);
    }

    public override void WriteRightId(Id id)
    {
        RestEncoder.WriteVarUint(id.Client);
        RestEncoder.WriteVarUint(id.Clock);
    }

    public override void WriteClient(ulong client) => RestEncoder.WriteVarUint(client);

    public override void WriteInfo(byte info) => RestEncoder.WriteUint8(info);

    public override void WriteString(string s) => RestEncoder.WriteVarString(s);

    public override void WriteString(string s, int start) => RestEncoder.WriteVarString(s.AsSpan(start));

    public override void WriteParentInfo(bool isYKey) => RestEncoder.WriteUint8(isYKey ? (byte)1 : (byte)0);

    public override void WriteTypeRef(int typeRef) => RestEncoder.WriteVarUint((ulong)typeRef);

    public override void WriteLen(long len) => RestEncoder.WriteVarUint(len);

    public override void WriteJson(object? value)
    {
        string? json = JsJson.Stringify(value);
        if (json is null)
        {
            ThrowHelper.Invalid(YjsFormatError.InvalidValue, "undefined cannot be written as JSON in update v1.");
        }

        RestEncoder.WriteVarString(json);
    }

    public override void WriteKey(string key) => RestEncoder.WriteVarString(key);
}

/// <summary>
/// v2: <c>varUint 0</c> (feature flag), nine varUint8Array columns (keyClock, client, leftClock, rightClock,
/// info, string, parentInfo, typeRef, len), then the unprefixed rest stream.
/// </summary>
internal sealed class UpdateEncoderV2 : UpdateEncoder
{
    private readonly IntDiffOptRleEncoder _keyClock = new();
    private readonly UintOptRleEncoder _client = new();
    private readonly IntDiffOptRleEncoder _leftClock = new();
    private readonly IntDiffOptRleEncoder _rightClock = new();
    private readonly RleByteEncoder _info = new();
    private readonly StringColumnEncoder _string = new();
    private readonly RleByteEncoder _parentInfo = new();
    private readonly UintOptRleEncoder _typeRef = new();
    private readonly UintOptRleEncoder _len = new();
    private long _dsCurrVal;
    private long _keyClockValue;

    public override byte[] ToArray()
    {
        var e = new Lib0Encoder(RestEncoder.Length + 1024);
        e.WriteVarUint(0UL);
        e.WriteVarUint8Array(_keyClock.Finish());
        e.WriteVarUint8Array(_client.Finish());
        e.WriteVarUint8Array(_leftClock.Finish());
        e.WriteVarUint8Array(_rightClock.Finish());
        e.WriteVarUint8Array(_info.Finish());
        e.WriteVarUint8Array(_string.Finish());
        e.WriteVarUint8Array(_parentInfo.Finish());
        e.WriteVarUint8Array(_typeRef.Finish());
        e.WriteVarUint8Array(_len.Finish());
        e.WriteBytes(RestEncoder.WrittenSpan);
        return e.ToArray();
    }

    public override void ResetDsCurVal() => _dsCurrVal = 0;

    public override void WriteDsClock(long clock)
    {
        long diff = clock - _dsCurrVal;
        _dsCurrVal = clock;
        if (diff < 0)
        {
            ThrowHelper.Invalid(YjsFormatError.InvalidValue, "Delete set ranges are not in ascending order; update v2 cannot encode them.");
        }

        RestEncoder.WriteVarUint(diff);
    }

    public override void WriteDsLen(long len)
    {
        if (len == 0)
        {
            ThrowHelper.Invalid(YjsFormatError.InvalidValue, "A delete set range of length 0 cannot be encoded in update v2.");
        }

        RestEncoder.WriteVarUint(len - 1);
        _dsCurrVal += len;
    }

    public override void WriteLeftId(Id id)
    {
        _client.Write(id.Client);
        _leftClock.Write(id.Clock);
    }

    public override void WriteRightId(Id id)
    {
        _client.Write(id.Client);
        _rightClock.Write(id.Clock);
    }

    public override void WriteClient(ulong client) => _client.Write(client);

    public override void WriteInfo(byte info) => _info.Write(info);

    public override void WriteString(string s) => _string.Write(s);

    public override void WriteString(string s, int start) => _string.Write(s, start);

    public override void WriteParentInfo(bool isYKey) => _parentInfo.Write(isYKey ? (byte)1 : (byte)0);

    public override void WriteTypeRef(int typeRef) => _typeRef.Write((ulong)typeRef);

    public override void WriteLen(long len) => _len.Write((ulong)len);

    public override void WriteJson(object? value) => AnyCodec.Write(RestEncoder, value);

    // yjs 13.x never re-uses a key: every key gets a new keyClock and its string.
    public override void WriteKey(string key)
    {
        _keyClock.Write(_keyClockValue++);
        _string.Write(key);
    }
}
