using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// A document's state at one moment: which structs existed (state vector) and which were deleted
/// (delete set). Wire: delete set, then state vector (yjs <c>encodeSnapshot</c>/<c>encodeSnapshotV2</c>).
/// </summary>
public sealed class Snapshot(DeleteSet deleteSet, Dictionary<ulong, long> stateVector)
{
    public DeleteSet DeleteSet { get; } = deleteSet;

    public Dictionary<ulong, long> StateVector { get; } = stateVector;

    /// <summary>yjs <c>Y.snapshot(doc)</c>.</summary>
    public static Snapshot Take(Doc doc) => new(DocEncoding.CreateDeleteSetFromStructStore(doc.Store), doc.Store.GetStateVector());

    public byte[] Encode(UpdateFormat format = UpdateFormat.V1)
    {
        var encoder = UpdateEncoder.Create(format);
        DeleteSet.Write(encoder);
        Crdt.StateVector.Write(encoder.RestEncoder, StateVector);
        return format == UpdateFormat.V1 ? encoder.RestEncoder.ToArray() : encoder.RestEncoder.ToArray();
    }

    public static Snapshot Decode(byte[] bytes, UpdateFormat format = UpdateFormat.V1)
    {
        var rest = new Lib0Decoder(bytes, DecoderLimits.Default);
        UpdateDecoder decoder = format == UpdateFormat.V2 ? new DsOnlyDecoderV2(rest) : new UpdateDecoderV1(rest);
        var ds = DeleteSet.Read(decoder);
        return new Snapshot(ds, Crdt.StateVector.Read(rest));
    }

    /// <summary>yjs <c>equalSnapshots</c>.</summary>
    public bool ContentEquals(Snapshot other)
    {
        if (StateVector.Count != other.StateVector.Count)
        {
            return false;
        }

        foreach (var (client, clock) in StateVector)
        {
            if (other.StateVector.GetValueOrDefault(client) != clock)
            {
                return false;
            }
        }

        var a = DeleteSet.IsEmpty ? [] : DeleteSet.Clients;
        var b = other.DeleteSet.IsEmpty ? [] : other.DeleteSet.Clients;
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (client, items) in a)
        {
            if (!b.TryGetValue(client, out var others) || !items.SequenceEqual(others))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether an item is visible in this snapshot (yjs <c>isVisible</c>).</summary>
    public bool IsVisible(Item item) =>
        StateVector.TryGetValue(item.Id.Client, out long clock) && clock > item.Id.Clock && !DeleteSet.IsDeleted(item.Id);

    /// <summary>
    /// A new document holding the content as of this snapshot (yjs <c>createDocFromSnapshot</c>). Needs an
    /// origin document with garbage collection off, because deleted content is what a snapshot brings back.
    /// </summary>
    public Doc ToDoc(Doc origin, Doc? target = null)
    {
        if (origin.Gc)
        {
            throw new InvalidOperationException("Garbage collection must be disabled in the origin document to restore a snapshot from it.");
        }

        var encoder = new UpdateEncoderV2();
        origin.Transact(transaction =>
        {
            int size = 0;
            foreach (var clock in StateVector.Values)
            {
                if (clock > 0)
                {
                    size++;
                }
            }

            encoder.RestEncoder.WriteVarUint((ulong)size);
            foreach (var (client, clock) in StateVector)
            {
                if (clock == 0)
                {
                    continue;
                }

                if (clock < origin.Store.GetState(client))
                {
                    origin.Store.GetItemCleanStart(transaction, new Id(client, clock));
                }

                var structs = origin.Store.Clients.GetValueOrDefault(client) ?? [];
                int lastStructIndex = StructStore.FindIndex(structs, clock - 1);
                encoder.RestEncoder.WriteVarUint((ulong)(lastStructIndex + 1));
                encoder.WriteClient(client);
                encoder.RestEncoder.WriteVarUint(0UL);
                for (int i = 0; i <= lastStructIndex; i++)
                {
                    structs[i].Write(encoder, 0);
                }
            }

            DeleteSet.Write(encoder);
        });
        target ??= new Doc();
        target.ApplyUpdate(encoder.ToArray(), UpdateFormat.V2, "snapshot");
        return target;
    }

    // Reads a delete set in the v2 layout (clock differences, len-1) without the v2 column header.
    private sealed class DsOnlyDecoderV2(Lib0Decoder rest) : UpdateDecoder(rest)
    {
        private long _cur;

        public override void ResetDsCurVal() => _cur = 0;

        public override long ReadDsClock() => _cur += RestDecoder.ReadVarUintLong();

        public override long ReadDsLen()
        {
            long len = RestDecoder.ReadVarUintLong() + 1;
            _cur += len;
            return len;
        }

        public override Id ReadLeftId() => throw new NotSupportedException();

        public override Id ReadRightId() => throw new NotSupportedException();

        public override ulong ReadClient() => throw new NotSupportedException();

        public override byte ReadInfo() => throw new NotSupportedException();

        public override string ReadString() => throw new NotSupportedException();

        public override bool ReadParentInfo() => throw new NotSupportedException();

        public override long ReadTypeRef() => throw new NotSupportedException();

        public override long ReadLen() => throw new NotSupportedException();

        public override object? ReadJson() => throw new NotSupportedException();

        public override string ReadKey() => throw new NotSupportedException();
    }
}
