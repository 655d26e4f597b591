using System.IO.Compression;
using System.Text.Json;

namespace Collab.Crdt.Tests.Document;

/// <summary>A josephg editing trace: transactions of (position, deleted count, inserted text) patches.</summary>
public sealed record EditingTrace(string EndContent, List<List<(int Pos, int Del, string Ins)>> Txns)
{
    public static EditingTrace Load(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var json = JsonDocument.Parse(gz);
        var root = json.RootElement;
        var txns = new List<List<(int, int, string)>>();
        foreach (var txn in root.GetProperty("txns").EnumerateArray())
        {
            var patches = new List<(int, int, string)>();
            foreach (var p in txn.GetProperty("patches").EnumerateArray())
            {
                patches.Add((p[0].GetInt32(), p[1].GetInt32(), p[2].GetString()!));
            }

            txns.Add(patches);
        }

        return new EditingTrace(root.GetProperty("endContent").GetString()!, txns);
    }

    /// <summary>Replays into a fresh document, one transaction per txn, as the shared b4-replay oracle was made.</summary>
    public Doc Replay(ulong clientId, Action<byte[]>? onUpdate = null)
    {
        var doc = new Doc(new DocOptions { ClientId = clientId });
        var text = doc.GetText("text");
        if (onUpdate is not null)
        {
            doc.Update += e => onUpdate(e.Update);
        }

        foreach (var txn in Txns)
        {
            doc.Transact(_ =>
            {
                foreach (var (pos, del, ins) in txn)
                {
                    // positions count code points; the traces hold none above U+FFFF, so UTF-16 indices agree
                    if (del > 0)
                    {
                        text.Delete(pos, del);
                    }

                    if (ins.Length > 0)
                    {
                        text.Insert(pos, ins);
                    }
                }
            });
        }

        return doc;
    }
}
