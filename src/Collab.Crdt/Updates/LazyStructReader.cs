using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// Reads the struct section of an update one struct at a time (yjs <c>LazyStructReader</c>).
/// Wire: <c>varUint clientCount</c>; per client <c>varUint structCount</c>, client, <c>varUint firstClock</c>,
/// then the structs. After the last struct the decoder stands at the delete set.
/// </summary>
internal sealed class LazyStructReader
{
    // A v2 column can repeat a value forever, so a struct can cost no input bytes; this bounds the work
    // (and memory) a small malicious update can cause. Real updates stay far below it.
    private const long StructsPerInputByte = 256;

    private readonly UpdateDecoder _decoder;
    private readonly bool _filterSkips;
    private long _clientsLeft;
    private long _structsLeft;
    private ulong _client;
    private long _clock;
    private long _budget;

    public LazyStructReader(UpdateDecoder decoder, bool filterSkips, int inputLength)
    {
        _decoder = decoder;
        _filterSkips = filterSkips;
        _budget = 1024 + (StructsPerInputByte * inputLength);
        _clientsLeft = decoder.RestDecoder.ReadCount();
        Next();
    }

    public AbstractStruct? Curr { get; private set; }

    public AbstractStruct? Next()
    {
        do
        {
            Curr = ReadNext();
        }
        while (_filterSkips && Curr is Skip);

        return Curr;
    }

    private AbstractStruct? ReadNext()
    {
        var rest = _decoder.RestDecoder;
        while (_structsLeft == 0)
        {
            if (_clientsLeft == 0)
            {
                return null;
            }

            _clientsLeft--;
            _structsLeft = rest.ReadVarUintLong();
            _client = _decoder.ReadClient();
            _clock = rest.ReadVarUintLong();
        }

        _structsLeft--;
        if (--_budget < 0)
        {
            ThrowHelper.Invalid(YjsFormatError.LimitExceeded, "The update declares more structs than its size can hold; it is malformed or hostile.");
        }

        AbstractStruct s;
        var id = new Id(_client, _clock);
        byte info = _decoder.ReadInfo();
        if (info == Skip.RefNumber)
        {
            s = new Skip(id, rest.ReadVarUintLong());
        }
        else if ((info & 0x1F) != 0)
        {
            // Without origins the parent is written: a root type's name or the id of the parent item.
            bool cantCopyParentInfo = (info & 0xC0) == 0;
            Id? origin = (info & 0x80) != 0 ? _decoder.ReadLeftId() : null;
            Id? rightOrigin = (info & 0x40) != 0 ? _decoder.ReadRightId() : null;
            object? parent = null;
            if (cantCopyParentInfo)
            {
                parent = _decoder.ReadParentInfo() ? _decoder.ReadString() : _decoder.ReadLeftId();
            }

            string? parentSub = cantCopyParentInfo && (info & 0x20) != 0 ? _decoder.ReadString() : null;
            s = new Item(id, origin, rightOrigin, parent, parentSub, Content.Read(_decoder, info));
        }
        else
        {
            s = new Gc(id, _decoder.ReadLen());
        }

        _clock += s.Length;
        if (_clock > (long)Lib0Decoder.MaxSafeVarUint)
        {
            ThrowHelper.IntegerOutOfRange();
        }

        return s;
    }
}
