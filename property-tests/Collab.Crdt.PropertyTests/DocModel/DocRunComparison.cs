using Collab.Crdt.Tests.DocOracle;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>One way in which Collab's run of a script differs from yjs': what, where, and the two values.</summary>
internal sealed record DocDifference(string Category, string Where, string Yjs, string Collab)
{
    public override string ToString() => $"{Category} at {Where}: yjs {Yjs} | collab {Collab}";
}

/// <summary>Compares two runs of one script (yjs' and Collab's), and checks that Collab's synced peers converge.</summary>
internal static class DocRunComparison
{
    public static List<DocDifference> Compare(DocRun yjs, DocRun collab, bool finalSync, ScriptAreas excluded)
    {
        var diffs = new List<DocDifference>();
        if (yjs.Skipped != collab.Skipped)
        {
            diffs.Add(new("skipped", "script", yjs.Skipped.ToString(), collab.Skipped.ToString()));
        }

        for (int i = 0; i < Math.Min(yjs.Peers.Count, collab.Peers.Count); i++)
        {
            var (y, c) = (yjs.Peers[i], collab.Peers[i]);
            foreach (var (name, yJson) in y.Json)
            {
                var cJson = c.Json.GetValueOrDefault(name, "<missing>");
                var skip = excluded.HasFlag(ScriptAreas.SubdocJson) && y.Dump.GetValueOrDefault(name, "").Contains("doc(\"", StringComparison.Ordinal);
                if (yJson != cJson && !skip)
                {
                    diffs.Add(new("json", $"peer {i} root {name}", yJson, cJson));
                }
            }

            foreach (var (name, yDump) in y.Dump)
            {
                var cDump = c.Dump.GetValueOrDefault(name, "<missing>");
                if (yDump != cDump)
                {
                    diffs.Add(new("dump", $"peer {i} root {name}", yDump, cDump));
                }
            }

            Bytes(diffs, "stateVector", $"peer {i}", y.StateVector, c.StateVector);
            Bytes(diffs, "stateV1", $"peer {i}", y.StateV1, c.StateV1);
            Bytes(diffs, "stateV2", $"peer {i}", y.StateV2, c.StateV2);
        }

        if (yjs.Updates.Count != collab.Updates.Count)
        {
            diffs.Add(new("updates.count", "script", yjs.Updates.Count.ToString(), collab.Updates.Count.ToString()));
        }

        for (int i = 0; i < Math.Min(yjs.Updates.Count, collab.Updates.Count); i++)
        {
            var (y, c) = (yjs.Updates[i], collab.Updates[i]);
            var where = $"update {i} (peer {y.Peer}, step {y.Step}, {(y.Local ? "local" : "received")})";
            if ((y.Peer, y.Step, y.Local) != (c.Peer, c.Step, c.Local))
            {
                diffs.Add(new("update.origin", where, $"{y.Peer}/{y.Step}/{y.Local}", $"{c.Peer}/{c.Step}/{c.Local}"));
                break;
            }

            Bytes(diffs, "update.v1", where, y.V1, c.V1);
            Bytes(diffs, "update.v2", where, y.V2, c.V2);
        }

        // Synced peers converge wherever yjs' do. yjs itself does not always: a local edit that splits a surrogate
        // pair turns the halves into U+FFFD on that peer only, while its update carries the original string.
        if (finalSync)
        {
            for (int i = 1; i < Math.Min(yjs.Peers.Count, collab.Peers.Count); i++)
            {
                foreach (var (name, dump) in collab.Peers[0].Dump)
                {
                    if (yjs.Peers[i].Dump[name] == yjs.Peers[0].Dump[name] && collab.Peers[i].Dump[name] != dump)
                    {
                        diffs.Add(new("converge", $"root {name}: collab peer 0 | collab peer {i}", dump, collab.Peers[i].Dump[name]));
                    }
                }
            }
        }

        return diffs;
    }

    private static void Bytes(List<DocDifference> diffs, string category, string where, byte[] y, byte[] c)
    {
        if (!y.AsSpan().SequenceEqual(c))
        {
            diffs.Add(new(category, where, System.Convert.ToBase64String(y), System.Convert.ToBase64String(c)));
        }
    }
}
