using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>Reading updates into a document and writing a document's state (yjs <c>encoding.js</c>).</summary>
internal static class DocEncoding
{
    // Per client: structs from clock on. The first struct may be written at an offset, which slices it.
    private static void WriteStructs(UpdateEncoder encoder, StructList structs, ulong client, long clock)
    {
        clock = Math.Max(clock, structs[0].Id.Clock);
        int start = StructStore.FindIndex(structs, clock);
        encoder.RestEncoder.WriteVarUint((ulong)(structs.Count - start));
        encoder.WriteClient(client);
        encoder.RestEncoder.WriteVarUint(clock);
        var first = structs[start];
        first.Write(encoder, clock - first.Id.Clock);
        for (int i = start + 1; i < structs.Count; i++)
        {
            structs[i].Write(encoder, 0);
        }
    }

    internal static void WriteClientsStructs(UpdateEncoder encoder, StructStore store, IReadOnlyDictionary<ulong, long> targetSv)
    {
        // per client, the clock to write from: clients the target is behind on, and clients it lacks
        int max = store.Clients.Count;
        var sm = max <= 16 ? stackalloc (ulong Client, long Clock)[max] : new (ulong Client, long Clock)[max];
        int n = 0;
        if (targetSv is ClockMap map)
        {
            foreach (var (client, clock) in map)
            {
                if (store.GetState(client) > clock)
                {
                    sm[n++] = (client, clock);
                }
            }
        }
        else
        {
            foreach (var (client, clock) in targetSv)
            {
                if (store.GetState(client) > clock)
                {
                    sm[n++] = (client, clock);
                }
            }
        }

        foreach (var client in store.Clients.Keys)
        {
            if (!targetSv.ContainsKey(client))
            {
                sm[n++] = (client, 0);
            }
        }

        encoder.RestEncoder.WriteVarUint((ulong)n);
        var used = sm[..n];
        used.Sort(static (a, b) => b.Client.CompareTo(a.Client));
        foreach (var (client, clock) in used)
        {
            WriteStructs(encoder, store.Clients[client], client, clock);
        }
    }

    public static byte[] EncodeStateAsUpdate(Doc doc, byte[]? encodedTargetStateVector, UpdateFormat format)
    {
        byte[] svBytes = encodedTargetStateVector ?? [0];
        var target = StateVector.Decode(svBytes);
        var encoder = UpdateEncoder.Create(format);
        WriteClientsStructs(encoder, doc.Store, target);
        CreateDeleteSetFromStructStore(doc.Store).Write(encoder);
        byte[] update = encoder.ToArray();

        var store = doc.Store;
        if (store.PendingDs is null && store.PendingStructs is null)
        {
            return update;
        }

        // pending structs and deletes are kept as v2 updates; include them as yjs does
        var updates = new List<byte[]> { format == UpdateFormat.V1 ? Updates.Convert(update, UpdateFormat.V1, UpdateFormat.V2) : update };
        if (store.PendingDs is { } pendingDs)
        {
            updates.Add(pendingDs);
        }

        if (store.PendingStructs is { } pending)
        {
            updates.Add(Updates.Diff(pending.Update, svBytes, UpdateFormat.V2));
        }

        if (format == UpdateFormat.V1)
        {
            var v1 = new List<byte[]> { update };
            for (int i = 1; i < updates.Count; i++)
            {
                v1.Add(Updates.Convert(updates[i], UpdateFormat.V2, UpdateFormat.V1));
            }

            return Updates.Merge(v1, UpdateFormat.V1);
        }

        return Updates.Merge(updates, UpdateFormat.V2);
    }

    internal static DeleteSet CreateDeleteSetFromStructStore(StructStore store)
    {
        var ds = new DeleteSet();
        foreach (var (client, structs) in store.Clients)
        {
            List<DeleteItem>? items = null;
            for (int i = 0; i < structs.Count; i++)
            {
                var s = structs[i];
                if (!s.Deleted)
                {
                    continue;
                }

                long clock = s.Id.Clock;
                long len = s.Length;
                while (i + 1 < structs.Count && structs[i + 1].Deleted)
                {
                    len += structs[++i].Length;
                }

                (items ??= []).Add(new DeleteItem(clock, len));
            }

            if (items is not null)
            {
                ds.Clients[client] = items;
            }
        }

        return ds;
    }

    public static void ApplyUpdate(Doc doc, byte[] update, UpdateFormat format, object? origin, DecoderLimits limits)
    {
        var decoder = UpdateDecoder.Create(update, format, limits);
        // decode fully before touching the document, so malformed input changes nothing
        var refs = ReadClientsStructRefs(decoder, doc, update.Length);
        var ds = DeleteSet.Read(decoder);
        doc.Transact(t => ReadUpdate(t, refs, ds), origin, local: false);
    }

    /// <summary>Applies an update decoded before (<see cref="Updates.Decode"/>); its structs become the document's.</summary>
    public static void ApplyDecoded(Doc doc, DecodedUpdate update, object? origin)
    {
        if (update.Applied)
        {
            throw new InvalidOperationException("This decoded update was applied already: its structs belong to that document. Decode the bytes again to apply them elsewhere.");
        }

        update.Applied = true;
        var refs = new Dictionary<ulong, ClientRefs>();
        foreach (var s in update.Structs)
        {
            AddRef(refs, doc, s);
        }

        doc.Transact(t => ReadUpdate(t, refs, update.DeleteSet), origin, local: false);
    }

    private static void AddRef(Dictionary<ulong, ClientRefs> refs, Doc doc, AbstractStruct s)
    {
        if (!refs.TryGetValue(s.Id.Client, out var cr))
        {
            cr = new ClientRefs([]);
            refs[s.Id.Client] = cr;
        }

        if (s is Item { Parent: string rootName } item)
        {
            item.Parent = doc.GetOrCreateRoot(rootName);
        }

        cr.Refs.Add(s);
    }

    private sealed class ClientRefs(List<AbstractStruct> refs)
    {
        public List<AbstractStruct> Refs = refs;
        public int I;
    }

    private static Dictionary<ulong, ClientRefs> ReadClientsStructRefs(UpdateDecoder decoder, Doc doc, int inputLength)
    {
        var result = new Dictionary<ulong, ClientRefs>();
        var reader = new LazyStructReader(decoder, filterSkips: false, inputLength);
        for (var s = reader.Curr; s is not null; s = reader.Next())
        {
            AddRef(result, doc, s);
        }

        return result;
    }

    private static void ReadUpdate(Transaction transaction, Dictionary<ulong, ClientRefs> refs, DeleteSet ds)
    {
        transaction.Local = false;
        bool retry = false;
        var doc = transaction.Doc;
        var store = doc.Store;
        var restStructs = IntegrateStructs(transaction, store, refs);
        var pending = store.PendingStructs;
        if (pending is { } p)
        {
            foreach (var (client, clock) in p.Missing)
            {
                if (clock < store.GetState(client))
                {
                    retry = true;
                    break;
                }
            }

            if (restStructs is { } rest)
            {
                foreach (var (client, clock) in rest.Missing)
                {
                    if (!p.Missing.TryGetValue(client, out long m) || m > clock)
                    {
                        p.Missing[client] = clock;
                    }
                }

                store.PendingStructs = (p.Missing, Updates.Merge([p.Update, rest.Update], UpdateFormat.V2));
            }
        }
        else
        {
            store.PendingStructs = restStructs;
        }

        byte[]? dsRest = ApplyDeleteSet(transaction, store, ds);
        if (store.PendingDs is { } pendingDs)
        {
            var pendingDecoder = UpdateDecoder.Create(pendingDs, UpdateFormat.V2, DecoderLimits.Default);
            pendingDecoder.RestDecoder.ReadVarUint(); // no structs in a pending delete set update
            byte[]? dsRest2 = ApplyDeleteSet(transaction, store, DeleteSet.Read(pendingDecoder));
            store.PendingDs = dsRest is not null && dsRest2 is not null
                ? Updates.Merge([dsRest, dsRest2], UpdateFormat.V2)
                : dsRest ?? dsRest2;
        }
        else
        {
            store.PendingDs = dsRest;
        }

        if (retry && store.PendingStructs is { } again)
        {
            store.PendingStructs = null;
            ApplyUpdate(doc, again.Update, UpdateFormat.V2, transaction.Origin, DecoderLimits.Default);
        }
    }

    // yjs integrateStructs: integrate what can be, depth-first through missing dependencies; return the
    // rest as a v2 update together with the lowest missing clock per client.
    private static (Dictionary<ulong, long> Missing, byte[] Update)? IntegrateStructs(Transaction transaction, StructStore store, Dictionary<ulong, ClientRefs> clientsStructRefs)
    {
        var stack = new List<AbstractStruct>();
        var ids = new List<ulong>(clientsStructRefs.Keys);
        ids.Sort();
        if (ids.Count == 0)
        {
            return null;
        }

        ClientRefs? GetNextStructTarget()
        {
            if (ids.Count == 0)
            {
                return null;
            }

            var next = clientsStructRefs[ids[^1]];
            while (next.Refs.Count == next.I)
            {
                ids.RemoveAt(ids.Count - 1);
                if (ids.Count > 0)
                {
                    next = clientsStructRefs[ids[^1]];
                }
                else
                {
                    return null;
                }
            }

            return next;
        }

        var curStructsTarget = GetNextStructTarget();
        if (curStructsTarget is null)
        {
            return null;
        }

        var restStructs = new StructStore();
        var missingSv = new Dictionary<ulong, long>();
        void UpdateMissingSv(ulong client, long clock)
        {
            if (!missingSv.TryGetValue(client, out long m) || m > clock)
            {
                missingSv[client] = clock;
            }
        }

        var stackHead = curStructsTarget.Refs[curStructsTarget.I++];
        var state = new Dictionary<ulong, long>();

        void AddStackToRestSs()
        {
            foreach (var item in stack)
            {
                ulong client = item.Id.Client;
                if (clientsStructRefs.TryGetValue(client, out var inapplicable))
                {
                    // the remaining structs of this client cannot be applied either
                    inapplicable.I--;
                    restStructs.Clients[client] = StructList.FromRange(inapplicable.Refs, inapplicable.I, inapplicable.Refs.Count - inapplicable.I);
                    clientsStructRefs.Remove(client);
                    inapplicable.I = 0;
                    inapplicable.Refs = [];
                }
                else
                {
                    restStructs.Clients[client] = [item];
                }

                ids.Remove(client);
            }

            stack.Clear();
        }

        while (true)
        {
            if (stackHead is not Skip)
            {
                if (!state.TryGetValue(stackHead.Id.Client, out long localClock))
                {
                    localClock = store.GetState(stackHead.Id.Client);
                    state[stackHead.Id.Client] = localClock;
                }

                long offset = localClock - stackHead.Id.Clock;
                if (offset < 0)
                {
                    // an update from the same client is missing
                    stack.Add(stackHead);
                    UpdateMissingSv(stackHead.Id.Client, stackHead.Id.Clock - 1);
                    AddStackToRestSs();
                }
                else
                {
                    ulong? missing = stackHead is Item it ? it.GetMissing(transaction, store) : null;
                    if (missing is { } m)
                    {
                        stack.Add(stackHead);
                        var structRefs = clientsStructRefs.GetValueOrDefault(m) ?? new ClientRefs([]);
                        if (structRefs.Refs.Count == structRefs.I)
                        {
                            UpdateMissingSv(m, store.GetState(m));
                            AddStackToRestSs();
                        }
                        else
                        {
                            stackHead = structRefs.Refs[structRefs.I++];
                            continue;
                        }
                    }
                    else if (offset == 0 || offset < stackHead.Length)
                    {
                        switch (stackHead)
                        {
                            case Item item:
                                item.Integrate(transaction, offset);
                                break;
                            case Gc gc:
                                gc.Integrate(transaction, offset);
                                break;
                        }

                        state[stackHead.Id.Client] = stackHead.Id.Clock + stackHead.Length;
                    }
                }
            }

            if (stack.Count > 0)
            {
                stackHead = stack[^1];
                stack.RemoveAt(stack.Count - 1);
            }
            else if (curStructsTarget is not null && curStructsTarget.I < curStructsTarget.Refs.Count)
            {
                stackHead = curStructsTarget.Refs[curStructsTarget.I++];
            }
            else
            {
                curStructsTarget = GetNextStructTarget();
                if (curStructsTarget is null)
                {
                    break;
                }

                stackHead = curStructsTarget.Refs[curStructsTarget.I++];
            }
        }

        if (restStructs.Clients.Count > 0)
        {
            var encoder = new UpdateEncoderV2();
            WriteClientsStructs(encoder, restStructs, new Dictionary<ulong, long>());
            encoder.RestEncoder.WriteVarUint(0UL); // no deletes
            return (missingSv, encoder.ToArray());
        }

        return null;
    }

    /// <summary>Applies deletions; returns those of structs not yet known as a v2 update (yjs <c>readAndApplyDeleteSet</c>).</summary>
    private static byte[]? ApplyDeleteSet(Transaction transaction, StructStore store, DeleteSet ds)
    {
        var unapplied = new DeleteSet();
        foreach (var (client, deletes) in ds.Clients)
        {
            var structs = store.Clients.GetValueOrDefault(client);
            long state = store.GetState(client);
            foreach (var del in deletes)
            {
                long clock = del.Clock;
                long clockEnd = clock + del.Len;
                if (clock < state)
                {
                    if (state < clockEnd)
                    {
                        unapplied.Add(client, state, clockEnd - state);
                    }

                    int index = StructStore.FindIndex(structs!, clock);
                    var s = structs![index];
                    if (!s.Deleted && s.Id.Clock < clock)
                    {
                        structs.Insert(index + 1, Item.Split(transaction, (Item)s, clock - s.Id.Clock));
                        index++;
                    }

                    while (index < structs.Count)
                    {
                        s = structs[index++];
                        if (s.Id.Clock >= clockEnd)
                        {
                            break;
                        }

                        if (!s.Deleted)
                        {
                            var item = (Item)s;
                            if (clockEnd < s.Id.Clock + s.Length)
                            {
                                structs.Insert(index, Item.Split(transaction, item, clockEnd - s.Id.Clock));
                            }

                            item.Delete(transaction);
                        }
                    }
                }
                else
                {
                    unapplied.Add(client, clock, clockEnd - clock);
                }
            }
        }

        if (unapplied.Clients.Count == 0)
        {
            return null;
        }

        var encoder = new UpdateEncoderV2();
        encoder.RestEncoder.WriteVarUint(0UL); // no structs
        unapplied.Write(encoder);
        return encoder.ToArray();
    }
}
