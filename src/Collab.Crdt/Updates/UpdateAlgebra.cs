using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>The implementations behind <see cref="Updates"/>; each follows yjs 13.6 <c>updates.js</c> step by step.</summary>
internal static class UpdateAlgebra
{
    public static byte[] Merge(IReadOnlyList<byte[]> updates, UpdateFormat format, DecoderLimits limits)
    {
        if (updates.Count == 1)
        {
            // yjs returns a single update unchanged, without reading it
            return updates[0];
        }

        var decoders = new List<UpdateDecoder>(updates.Count);
        var readers = new List<LazyStructReader>(updates.Count);
        foreach (var update in updates)
        {
            var d = UpdateDecoder.Create(update, format, limits);
            decoders.Add(d);
            readers.Add(new LazyStructReader(d, filterSkips: true, update.Length));
        }

        AbstractStruct? currWrite = null;
        var encoder = UpdateEncoder.Create(format);
        var writer = new LazyStructWriter(encoder);

        while (true)
        {
            readers.RemoveAll(static r => r.Curr is null);
            SortReaders(readers);
            if (readers.Count == 0)
            {
                break;
            }

            var currDecoder = readers[0];
            ulong firstClient = currDecoder.Curr!.Id.Client;

            if (currWrite is not null)
            {
                var curr = currDecoder.Curr;
                bool iterated = false;

                // skip what has been written already; higher clients are written first
                while (curr is not null
                    && curr.Id.Clock + curr.Length <= currWrite.Id.Clock + currWrite.Length
                    && curr.Id.Client >= currWrite.Id.Client)
                {
                    curr = currDecoder.Next();
                    iterated = true;
                }

                if (curr is null
                    || curr.Id.Client != firstClient
                    || (iterated && curr.Id.Clock > currWrite.Id.Clock + currWrite.Length))
                {
                    continue;
                }

                if (firstClient != currWrite.Id.Client)
                {
                    writer.Write(currWrite, 0);
                    currWrite = curr;
                    currDecoder.Next();
                }
                else if (currWrite.Id.Clock + currWrite.Length < curr.Id.Clock)
                {
                    // a gap: fill it with a Skip
                    if (currWrite is Skip)
                    {
                        currWrite.Length = curr.Id.Clock + curr.Length - currWrite.Id.Clock;
                    }
                    else
                    {
                        writer.Write(currWrite, 0);
                        long gap = curr.Id.Clock - currWrite.Id.Clock - currWrite.Length;
                        currWrite = new Skip(new Id(firstClient, currWrite.Id.Clock + currWrite.Length), gap);
                    }
                }
                else
                {
                    long diff = currWrite.Id.Clock + currWrite.Length - curr.Id.Clock;
                    if (diff > 0)
                    {
                        if (currWrite is Skip)
                        {
                            // prefer slicing the Skip: the other struct carries more information
                            currWrite.Length -= diff;
                        }
                        else
                        {
                            curr = curr.SliceRight(diff);
                        }
                    }

                    if (!currWrite.MergeWith(curr))
                    {
                        writer.Write(currWrite, 0);
                        currWrite = curr;
                        currDecoder.Next();
                    }
                }
            }
            else
            {
                currWrite = currDecoder.Curr;
                currDecoder.Next();
            }

            for (var next = currDecoder.Curr;
                next is not null && next.Id.Client == firstClient && next.Id.Clock == currWrite.Id.Clock + currWrite.Length && next is not Skip;
                next = currDecoder.Next())
            {
                writer.Write(currWrite, 0);
                currWrite = next;
            }
        }

        if (currWrite is not null)
        {
            writer.Write(currWrite, 0);
        }

        writer.Finish();

        var sets = new List<DeleteSet>(decoders.Count);
        foreach (var d in decoders)
        {
            sets.Add(DeleteSet.Read(d));
        }

        DeleteSet.Merge(sets).Write(encoder);
        return encoder.ToArray();
    }

    // Higher clients first, then lower clocks. yjs' comparator is not consistent when two structs share a
    // client and clock but differ in kind (GC and Item both claim to go first), so the order then depends
    // on which pairs V8's Array.prototype.sort compares: V8ArraySort replays that sequence.
    private static readonly Comparison<LazyStructReader> ReaderOrder = static (a, b) => Compare(a.Curr!, b.Curr!);

    private static void SortReaders(List<LazyStructReader> readers) => V8ArraySort<LazyStructReader>.Sort(readers, ReaderOrder);

    private static int Compare(AbstractStruct a, AbstractStruct b)
    {
        if (a.Id.Client == b.Id.Client)
        {
            long clockDiff = a.Id.Clock - b.Id.Clock;
            if (clockDiff == 0)
            {
                return a.GetType() == b.GetType() ? 0 : a is Skip ? 1 : -1;
            }

            return clockDiff < 0 ? -1 : 1;
        }

        return b.Id.Client.CompareTo(a.Id.Client);
    }

    public static byte[] Diff(byte[] update, byte[] stateVector, UpdateFormat format, DecoderLimits limits)
    {
        var state = StateVector.Decode(stateVector, limits);
        var encoder = UpdateEncoder.Create(format);
        var writer = new LazyStructWriter(encoder);
        var decoder = UpdateDecoder.Create(update, format, limits);
        var reader = new LazyStructReader(decoder, filterSkips: false, update.Length);
        while (reader.Curr is { } curr)
        {
            ulong client = curr.Id.Client;
            long svClock = state.GetValueOrDefault(client);
            if (curr is Skip)
            {
                // the first written struct must not be a Skip
                reader.Next();
                continue;
            }

            if (curr.Id.Clock + curr.Length > svClock)
            {
                writer.Write(curr, Math.Max(svClock - curr.Id.Clock, 0));
                reader.Next();
                while (reader.Curr is { } more && more.Id.Client == client)
                {
                    writer.Write(more, 0);
                    reader.Next();
                }
            }
            else
            {
                while (reader.Curr is { } covered && covered.Id.Client == client && covered.Id.Clock + covered.Length <= svClock)
                {
                    reader.Next();
                }
            }
        }

        writer.Finish();
        DeleteSet.Read(decoder).Write(encoder);
        return encoder.ToArray();
    }

    public static byte[] EncodeStateVectorFromUpdate(byte[] update, UpdateFormat format, DecoderLimits limits)
    {
        var reader = new LazyStructReader(UpdateDecoder.Create(update, format, limits), filterSkips: false, update.Length);
        var pairs = new Lib0Encoder(32);
        int size = 0;
        var curr = reader.Curr;
        if (curr is not null)
        {
            ulong currClient = curr.Id.Client;
            bool stopCounting = curr.Id.Clock != 0; // must start at 0
            long currClock = stopCounting ? 0 : curr.Id.Clock + curr.Length;
            for (; curr is not null; curr = reader.Next())
            {
                if (currClient != curr.Id.Client)
                {
                    if (currClock != 0)
                    {
                        size++;
                        pairs.WriteVarUint(currClient);
                        pairs.WriteVarUint(currClock);
                    }

                    currClient = curr.Id.Client;
                    currClock = 0;
                    stopCounting = curr.Id.Clock != 0;
                }

                if (curr is Skip)
                {
                    stopCounting = true;
                }

                if (!stopCounting)
                {
                    currClock = curr.Id.Clock + curr.Length;
                }
            }

            if (currClock != 0)
            {
                size++;
                pairs.WriteVarUint(currClient);
                pairs.WriteVarUint(currClock);
            }
        }

        var result = new Lib0Encoder(pairs.Length + 8);
        result.WriteVarUint((ulong)size);
        result.WriteBytes(pairs.WrittenSpan);
        return result.ToArray();
    }

    public static UpdateMeta ParseUpdateMeta(byte[] update, UpdateFormat format, DecoderLimits limits)
    {
        var from = new Dictionary<ulong, long>();
        var to = new Dictionary<ulong, long>();
        var reader = new LazyStructReader(UpdateDecoder.Create(update, format, limits), filterSkips: false, update.Length);
        var curr = reader.Curr;
        if (curr is not null)
        {
            ulong currClient = curr.Id.Client;
            long currClock = curr.Id.Clock;
            from[currClient] = currClock;
            for (; curr is not null; curr = reader.Next())
            {
                if (currClient != curr.Id.Client)
                {
                    to[currClient] = currClock;
                    from[curr.Id.Client] = curr.Id.Clock;
                    currClient = curr.Id.Client;
                }

                currClock = curr.Id.Clock + curr.Length;
            }

            to[currClient] = currClock;
        }

        return new UpdateMeta(from, to);
    }

    public static byte[] Convert(byte[] update, UpdateFormat from, UpdateFormat to, DecoderLimits limits)
    {
        var decoder = UpdateDecoder.Create(update, from, limits);
        var reader = new LazyStructReader(decoder, filterSkips: false, update.Length);
        var encoder = UpdateEncoder.Create(to);
        var writer = new LazyStructWriter(encoder);
        for (var curr = reader.Curr; curr is not null; curr = reader.Next())
        {
            writer.Write(curr, 0);
        }

        writer.Finish();
        DeleteSet.Read(decoder).Write(encoder);
        return encoder.ToArray();
    }

    public static DecodedUpdate Decode(byte[] update, UpdateFormat format, DecoderLimits limits)
    {
        var decoder = UpdateDecoder.Create(update, format, limits);
        var reader = new LazyStructReader(decoder, filterSkips: false, update.Length);
        var structs = new List<AbstractStruct>();
        for (var curr = reader.Curr; curr is not null; curr = reader.Next())
        {
            structs.Add(curr);
        }

        return new DecodedUpdate(structs, DeleteSet.Read(decoder));
    }

    public static byte[] Encode(DecodedUpdate update, UpdateFormat format)
    {
        var encoder = UpdateEncoder.Create(format);
        var writer = new LazyStructWriter(encoder);
        foreach (var s in update.Structs)
        {
            writer.Write(s, 0);
        }

        writer.Finish();
        update.DeleteSet.Write(encoder);
        return encoder.ToArray();
    }
}
