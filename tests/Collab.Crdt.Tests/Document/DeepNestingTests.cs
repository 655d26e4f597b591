using Xunit;

namespace Collab.Crdt.Tests.Document;

/// <summary>
/// A document may nest shared types deeper than a thread's stack allows recursion (one update of a few hundred KB
/// nests tens of thousands of levels). Applying, deleting and collecting such a document must not recurse; rendering
/// it fails with a typed error instead of ending the process.
/// </summary>
public sealed class DeepNestingTests
{
    // a recursive walk needs a few hundred bytes of stack per level: 20,000 levels on a 256 KiB stack would overflow
    // it many times over (a stack overflow cannot be caught: the test process would end)
    private const int Levels = 20_000;
    private const int SmallStack = 256 * 1024;

    [Fact]
    public void ADeeplyNestedTypeIsAppliedDeletedAndCollectedWithoutRecursion()
    {
        byte[] nested = NestedMaps(Levels);

        OnSmallStack(() =>
        {
            var doc = new Doc(new DocOptions { ClientId = 2, Gc = true });
            doc.ApplyUpdate(nested);
            var root = doc.GetMap("root");
            Assert.True(root.Has("c"));

            var error = Assert.Throws<YjsFormatException>(() => root.ToJson());
            Assert.Equal(YjsFormatError.LimitExceeded, error.Reason);

            root.Delete("c");
            Assert.False(root.Has("c"));
            Assert.Equal("{}", JsJson.Stringify(root.ToJson()));

            // every nested item was deleted and collected: the state holds a run of GC structs, not 20,000 items
            byte[] state = doc.EncodeStateAsUpdate();
            Assert.True(state.Length < nested.Length / 10, $"state of {state.Length} bytes after the delete, {nested.Length} before");
            var fresh = new Doc(new DocOptions { ClientId = 3 });
            fresh.ApplyUpdate(state);
            Assert.Equal("{}", JsJson.Stringify(fresh.GetMap("root").ToJson()));
        });
    }

    [Fact]
    public void DeletingTheParentOfADeepTypeInTheSameUpdateIsApplied()
    {
        // the shape of the update that crashed the server: the nested chain and the delete of its top in one update
        var source = new Doc(new DocOptions { ClientId = 1, Gc = false });
        source.ApplyUpdate(NestedMaps(Levels));
        source.GetMap("root").Delete("c");
        byte[] update = source.EncodeStateAsUpdate();

        OnSmallStack(() =>
        {
            foreach (bool gc in new[] { true, false })
            {
                var doc = new Doc(new DocOptions { ClientId = 2, Gc = gc });
                doc.ApplyUpdate(update);
                Assert.False(doc.GetMap("root").Has("c"));
            }
        });
    }

    [Fact]
    public void NestedTypesAreDeletedInTheOrderARecursiveWalkWould()
    {
        // a tree (lists and maps, several children per level) deleted at once: every item lands in the delete set
        // and no deleted nested type is reported as changed
        var doc = new Doc(new DocOptions { ClientId = 1, Gc = false });
        var root = doc.GetArray("a");
        doc.Transact(_ =>
        {
            var top = new YArray();
            root.Push([top]);
            for (int i = 0; i < 3; i++)
            {
                var map = new YMap();
                top.Push([map, "x" + i]);
                var inner = new YArray();
                map.Set("k", inner);
                map.Set("s", "v");
                inner.Push([1, 2, new YText()]);
            }
        });

        var changed = new List<AbstractType>();
        doc.AfterTransaction += t => changed.AddRange(t.Changed.Keys);
        doc.Transact(_ => root.Delete(0, 1));

        Assert.Equal([root], changed);
        var peer = new Doc(new DocOptions { ClientId = 2 });
        peer.ApplyUpdate(doc.EncodeStateAsUpdate());
        Assert.Equal("[]", JsJson.Stringify(peer.GetArray("a").ToJson()));
        // every item of the tree is deleted: the top array's entry in the root, then per child its map, its string,
        // the map's "k" (the inner array) and "s" entries, and the inner array's three values
        var deletes = Updates.Decode(doc.EncodeStateAsUpdate()).DeleteSet;
        long deleted = deletes.Clients.Values.Sum(ranges => ranges.Sum(r => r.Len));
        Assert.Equal(1 + (3 * (1 + 1 + 1 + 1 + 3)), deleted);
    }

    /// <summary>An update of <paramref name="levels"/> maps, each the value of key "c" in the one above it.</summary>
    private static byte[] NestedMaps(int levels)
    {
        var doc = new Doc(new DocOptions { ClientId = 1, Gc = false });
        doc.Transact(_ =>
        {
            var map = doc.GetMap("root");
            for (int i = 0; i < levels; i++)
            {
                var child = new YMap();
                map.Set("c", child);
                map = child;
            }
        });
        return doc.EncodeStateAsUpdate();
    }

    private static void OnSmallStack(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            SmallStack);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
