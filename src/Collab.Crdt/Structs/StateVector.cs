using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// Per client, the next expected clock. Wire (v1 and v2 alike): <c>varUint n</c>, then <c>(client, clock)</c>
/// pairs in descending client order.
/// </summary>
public static class StateVector
{
    public static Dictionary<ulong, long> Decode(byte[] encoded, DecoderLimits? limits = null)
    {
        var d = new Lib0Decoder(encoded, limits ?? DecoderLimits.Default);
        return Read(d);
    }

    internal static Dictionary<ulong, long> Read(Lib0Decoder d)
    {
        int n = d.ReadCount();
        var sv = new Dictionary<ulong, long>(Math.Min(n, d.Remaining));
        for (int i = 0; i < n; i++)
        {
            ulong client = d.ReadVarUint();
            sv[client] = d.ReadVarUintLong();
        }

        return sv;
    }

    public static byte[] Encode(IReadOnlyDictionary<ulong, long> sv)
    {
        var e = new Lib0Encoder(8 + (sv.Count * 10));
        Write(e, sv);
        return e.ToArray();
    }

    internal static void Write(Lib0Encoder e, IReadOnlyDictionary<ulong, long> sv)
    {
        e.WriteVarUint((ulong)sv.Count);
        var clients = new List<ulong>(sv.Keys);
        clients.Sort(static (a, b) => b.CompareTo(a));
        foreach (ulong client in clients)
        {
            e.WriteVarUint(client);
            e.WriteVarUint(sv[client]);
        }
    }
}
