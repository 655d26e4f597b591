using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// Writes structs one at a time (yjs <c>LazyStructWriter</c>). The number of clients and of structs per
/// client precede the structs on the wire but are known only at the end, so each client's part of the
/// rest stream is kept aside until <see cref="Finish"/>.
/// </summary>
internal sealed class LazyStructWriter(UpdateEncoder encoder)
{
    private readonly List<(long Written, byte[] Part)> _clientStructs = [];
    private ulong _currClient;
    private long _written;

    public void Write(AbstractStruct s, long offset)
    {
        if (_written > 0 && _currClient != s.Id.Client)
        {
            Flush();
        }

        if (_written == 0)
        {
            _currClient = s.Id.Client;
            encoder.WriteClient(s.Id.Client);
            encoder.RestEncoder.WriteVarUint(s.Id.Clock + offset);
        }

        s.Write(encoder, offset);
        _written++;
    }

    private void Flush()
    {
        if (_written > 0)
        {
            _clientStructs.Add((_written, encoder.RestEncoder.ToArray()));
            encoder.RestEncoder = new Lib0Encoder(1024);
            _written = 0;
        }
    }

    /// <summary>Puts the parts together; the encoder's rest stream then continues after the structs.</summary>
    public void Finish()
    {
        Flush();
        var rest = encoder.RestEncoder;
        rest.WriteVarUint((ulong)_clientStructs.Count);
        foreach (var (written, part) in _clientStructs)
        {
            rest.WriteVarUint((ulong)written);
            rest.WriteBytes(part);
        }
    }
}
