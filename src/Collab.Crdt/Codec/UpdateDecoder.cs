namespace Collab.Crdt.Codec;

/// <summary>The reader side of an update format; yjs <c>UpdateDecoderV1</c>/<c>UpdateDecoderV2</c>.</summary>
internal abstract class UpdateDecoder(Lib0Decoder rest)
{
    public Lib0Decoder RestDecoder { get; } = rest;

    public DecoderLimits Limits => RestDecoder.Limits;

    public static UpdateDecoder Create(byte[] update, UpdateFormat format, DecoderLimits limits)
    {
        var d = new Lib0Decoder(update, limits);
        return format == UpdateFormat.V2 ? new UpdateDecoderV2(d) : new UpdateDecoderV1(d);
    }

    public abstract void ResetDsCurVal();

    public abstract long ReadDsClock();

    public abstract long ReadDsLen();

    public abstract Id ReadLeftId();

    public abstract Id ReadRightId();

    public abstract ulong ReadClient();

    public abstract byte ReadInfo();

    public abstract string ReadString();

    public abstract bool ReadParentInfo();

    public abstract long ReadTypeRef();

    public abstract long ReadLen();

    public object? ReadAny() => AnyCodec.Read(RestDecoder);

    public byte[] ReadBuf() => RestDecoder.ReadVarUint8Array();

    public abstract object? ReadJson();

    public abstract string ReadKey();
}

internal sealed class UpdateDecoderV1(Lib0Decoder rest) : UpdateDecoder(rest)
{
    public override void ResetDsCurVal()
    {
    }

    public override long ReadDsClock() => RestDecoder.ReadVarUintLong();

    public override long ReadDsLen() => RestDecoder.ReadVarUintLong();

    public override Id ReadLeftId() => new(RestDecoder.ReadVarUint(), RestDecoder.ReadVarUintLong());

    public override Id ReadRightId() => new(RestDecoder.ReadVarUint(), RestDecoder.ReadVarUintLong());

    public override ulong ReadClient() => RestDecoder.ReadVarUint();

    public override byte ReadInfo() => RestDecoder.ReadUint8();

    public override string ReadString() => RestDecoder.ReadVarString();

    public override bool ReadParentInfo() => RestDecoder.ReadVarUint() == 1;

    public override long ReadTypeRef() => RestDecoder.ReadVarUintLong();

    public override long ReadLen() => RestDecoder.ReadVarUintLong();

    public override object? ReadJson() => JsJson.Parse(RestDecoder.ReadVarString(), Limits.MaxDepth);

    public override string ReadKey() => RestDecoder.ReadVarString();
}

internal sealed class UpdateDecoderV2 : UpdateDecoder
{
    private readonly IntDiffOptRleDecoder _keyClock;
    private readonly UintOptRleDecoder _client;
    private readonly IntDiffOptRleDecoder _leftClock;
    private readonly IntDiffOptRleDecoder _rightClock;
    private readonly RleByteDecoder _info;
    private readonly StringColumnDecoder _string;
    private readonly RleByteDecoder _parentInfo;
    private readonly UintOptRleDecoder _typeRef;
    private readonly UintOptRleDecoder _len;
    private readonly List<string> _keys = [];
    private long _dsCurrVal;

    public UpdateDecoderV2(Lib0Decoder d)
        : base(d)
    {
        d.ReadVarUint(); // feature flag, unused
        _keyClock = new IntDiffOptRleDecoder(d.ReadVarUint8ArrayDecoder());
        _client = new UintOptRleDecoder(d.ReadVarUint8ArrayDecoder());
        _leftClock = new IntDiffOptRleDecoder(d.ReadVarUint8ArrayDecoder());
        _rightClock = new IntDiffOptRleDecoder(d.ReadVarUint8ArrayDecoder());
        _info = new RleByteDecoder(d.ReadVarUint8ArrayDecoder());
        _string = new StringColumnDecoder(d.ReadVarUint8ArrayDecoder());
        _parentInfo = new RleByteDecoder(d.ReadVarUint8ArrayDecoder());
        _typeRef = new UintOptRleDecoder(d.ReadVarUint8ArrayDecoder());
        _len = new UintOptRleDecoder(d.ReadVarUint8ArrayDecoder());
    }

    public override void ResetDsCurVal() => _dsCurrVal = 0;

    public override long ReadDsClock()
    {
        _dsCurrVal += RestDecoder.ReadVarUintLong();
        CheckClock(_dsCurrVal);
        return _dsCurrVal;
    }

    public override long ReadDsLen()
    {
        long diff = RestDecoder.ReadVarUintLong() + 1;
        _dsCurrVal += diff;
        CheckClock(_dsCurrVal);
        return diff;
    }

    private static void CheckClock(long clock)
    {
        if (clock > (long)Lib0Decoder.MaxSafeVarUint)
        {
            ThrowHelper.IntegerOutOfRange();
        }
    }

    public override Id ReadLeftId() => new(ClientOf(_client.Read()), _leftClock.Read());

    public override Id ReadRightId() => new(ClientOf(_client.Read()), _rightClock.Read());

    public override ulong ReadClient() => ClientOf(_client.Read());

    private static ulong ClientOf(ulong v)
    {
        if (v > Lib0Decoder.MaxSafeVarUint)
        {
            ThrowHelper.IntegerOutOfRange();
        }

        return v;
    }

    public override byte ReadInfo() => _info.Read();

    public override string ReadString() => _string.Read();

    public override bool ReadParentInfo() => _parentInfo.Read() == 1;

    public override long ReadTypeRef() => _typeRef.ReadLong();

    public override long ReadLen() => _len.ReadLong();

    public override object? ReadJson() => AnyCodec.Read(RestDecoder);

    public override string ReadKey()
    {
        long keyClock = _keyClock.Read();
        if (keyClock < _keys.Count)
        {
            return _keys[(int)keyClock];
        }

        string key = _string.Read();
        _keys.Add(key);
        return key;
    }
}
