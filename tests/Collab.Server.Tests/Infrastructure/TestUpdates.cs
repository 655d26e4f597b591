using Collab.Sync;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>Hand-encoded yjs v1 updates (checked against yjs 13.6: see the comments) for raw protocol tests.</summary>
internal static class TestUpdates
{
    // yjs: clientID 7 inserts "ab" into getText('t') → 01 01 07 00 04 01 01 74 02 61 62 00
    // then "cd" after it → 01 01 07 02 84 07 01 02 63 64 00
    /// <summary>Client <paramref name="client"/> appends <paramref name="text"/> to root text "t" at <paramref name="clock"/>.</summary>
    public static byte[] TextAppend(ulong client, ulong clock, string text)
    {
        var w = new Lib0Writer();
        w.WriteVarUint(1); // one client
        w.WriteVarUint(1); // one struct
        w.WriteVarUint(client);
        w.WriteVarUint(clock);
        if (clock == 0)
        {
            w.WriteUint8(0x04); // ContentString, no origins: the parent follows
            w.WriteVarUint(1); // parent is a root type
            w.WriteVarString("t");
        }
        else
        {
            w.WriteUint8(0x84); // ContentString with an origin
            w.WriteVarUint(client);
            w.WriteVarUint(clock - 1);
        }

        w.WriteVarString(text);
        w.WriteVarUint(0); // empty delete set
        return w.ToArray();
    }

    /// <summary>An update with no structs that deletes <paramref name="len"/> clocks of <paramref name="client"/> from <paramref name="clock"/>.</summary>
    public static byte[] DeleteOnly(ulong client, ulong clock, ulong len)
    {
        var w = new Lib0Writer();
        w.WriteVarUint(0); // no structs
        w.WriteVarUint(1); // one client in the delete set
        w.WriteVarUint(client);
        w.WriteVarUint(1);
        w.WriteVarUint(clock);
        w.WriteVarUint(len);
        return w.ToArray();
    }

    /// <summary>
    /// Client <paramref name="client"/> nests <paramref name="levels"/> maps under key "c" of root map "root", each in the
    /// one above it; with <paramref name="deleteTop"/> the same update also deletes the outermost.
    /// </summary>
    public static byte[] NestedMaps(ulong client, int levels, bool deleteTop = false)
    {
        var doc = new Crdt.Doc(new Crdt.DocOptions { ClientId = client, Gc = false });
        doc.Transact(_ =>
        {
            var map = doc.GetMap("root");
            for (int i = 0; i < levels; i++)
            {
                var child = new Crdt.YMap();
                map.Set("c", child);
                map = child;
            }

            if (deleteTop)
            {
                doc.GetMap("root").Delete("c");
            }
        });
        return doc.EncodeStateAsUpdate();
    }

    /// <summary>
    /// <paramref name="steps"/> updates of client <paramref name="client"/>, each nesting <paramref name="levels"/> more
    /// maps under the deepest map of the ones before (key "c" of root map "root" first).
    /// </summary>
    public static List<byte[]> NestedMapSteps(ulong client, int steps, int levels)
    {
        var doc = new Crdt.Doc(new Crdt.DocOptions { ClientId = client, Gc = false });
        var map = doc.GetMap("root");
        var updates = new List<byte[]>();
        for (int s = 0; s < steps; s++)
        {
            var before = doc.EncodeStateVector();
            doc.Transact(_ =>
            {
                for (int i = 0; i < levels; i++)
                {
                    var child = new Crdt.YMap();
                    map.Set("c", child);
                    map = child;
                }
            });
            updates.Add(doc.EncodeStateAsUpdate(before));
        }

        return updates;
    }

    public static byte[] UpdateFrame(byte[] update) => SyncMessages.EncodeUpdate(update);

    public static byte[] AwarenessFrame(ulong client, ulong clock, string json) =>
        SyncMessages.EncodeAwareness(AwarenessUpdate.Encode([new AwarenessEntry(client, clock, json)]));
}
