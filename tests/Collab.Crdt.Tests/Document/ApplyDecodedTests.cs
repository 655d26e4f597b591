using Xunit;

namespace Collab.Crdt.Tests.Document;

/// <summary><see cref="Doc.ApplyUpdate(DecodedUpdate, object?)"/> gives the document that applying the bytes gives.</summary>
public sealed class ApplyDecodedTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Applying_decoded_updates_equals_applying_their_bytes_in_any_order(int seed)
    {
        var random = new Random(seed);
        var updates = new List<byte[]>();
        var peers = Enumerable.Range(1, 3).Select(i => new Doc(new DocOptions { ClientId = (ulong)i, Gc = false })).ToList();
        foreach (var peer in peers)
        {
            peer.Update += e => updates.Add(e.Update);
        }

        for (int step = 0; step < 300; step++)
        {
            var peer = peers[random.Next(peers.Count)];
            Edit(peer, random);
            if (random.Next(10) == 0)
            {
                // now and then the peers sync, so that later edits build on each other's
                foreach (var other in peers.Where(o => o != peer))
                {
                    other.ApplyUpdate(peer.EncodeStateAsUpdate(other.EncodeStateVector()));
                }
            }
        }

        // delivered shuffled: many arrive before what they depend on and wait as pending structs
        var order = updates.OrderBy(_ => random.Next()).ToList();
        foreach (bool gc in new[] { true, false })
        {
            var fromBytes = new Doc(new DocOptions { ClientId = 9, Gc = gc });
            var fromDecoded = new Doc(new DocOptions { ClientId = 9, Gc = gc });
            foreach (var update in order)
            {
                fromBytes.ApplyUpdate(update);
                fromDecoded.ApplyUpdate(Updates.Decode(update));
                Assert.Equal(fromBytes.EncodeStateVector(), fromDecoded.EncodeStateVector());
            }

            Assert.Equal(fromBytes.EncodeStateAsUpdate(), fromDecoded.EncodeStateAsUpdate());
            Assert.Equal(JsJson.Stringify(fromBytes.GetMap("m").ToJson()), JsJson.Stringify(fromDecoded.GetMap("m").ToJson()));
            Assert.Equal(fromBytes.GetText("t").ToString(), fromDecoded.GetText("t").ToString());
            // everything arrived: the result is the peers' merged state
            var merged = new Doc(new DocOptions { ClientId = 10, Gc = gc });
            peers.ForEach(p => merged.ApplyUpdate(p.EncodeStateAsUpdate()));
            Assert.Equal(merged.GetText("t").ToString(), fromDecoded.GetText("t").ToString());
        }
    }

    [Fact]
    public void A_decoded_update_is_applied_once()
    {
        var source = new Doc(new DocOptions { ClientId = 1 });
        source.GetText("t").Insert(0, "hello");
        var decoded = Updates.Decode(source.EncodeStateAsUpdate());
        var doc = new Doc(new DocOptions { ClientId = 2 });
        doc.ApplyUpdate(decoded);
        Assert.Throws<InvalidOperationException>(() => new Doc().ApplyUpdate(decoded));
        Assert.Equal("hello", doc.GetText("t").ToString());
    }

    private static void Edit(Doc doc, Random random)
    {
        var text = doc.GetText("t");
        var map = doc.GetMap("m");
        var list = doc.GetArray("a");
        switch (random.Next(6))
        {
            case 0:
                text.Insert(random.Next((int)text.Length + 1), "x" + random.Next(100));
                break;
            case 1 when text.Length > 2:
                text.Delete(random.Next((int)text.Length - 1), 1 + random.Next(2));
                break;
            case 2:
                map.Set("k" + random.Next(5), random.Next(3) == 0 ? new YMap() : random.Next(1000));
                break;
            case 3 when map.Get("k" + random.Next(5)) is YMap inner:
                inner.Set("v", new YArray());
                break;
            case 4:
                list.Insert(random.Next((int)list.Length + 1), [random.Next(10), "s"]);
                break;
            case 5 when list.Length > 0:
                list.Delete(random.Next((int)list.Length), 1);
                break;
            default:
                map.Delete("k" + random.Next(5));
                break;
        }
    }
}
