using Xunit;

namespace Collab.Crdt.Tests.Document;

/// <summary><see cref="DecodedUpdate.TypeNesting"/>: how deeply one update's own items nest shared types.</summary>
public sealed class TypeNestingTests
{
    [Fact]
    public void An_update_without_types_nests_nothing()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.GetText("t").Insert(0, "hello");
        doc.GetArray("a").Push([1, "two", new Dictionary<string, object?> { ["x"] = 3L }]);
        Assert.Equal(0, Updates.Decode(doc.EncodeStateAsUpdate()).TypeNesting);
    }

    [Fact]
    public void Each_type_inside_a_type_is_one_level_deeper()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.Transact(_ => Nest(doc.GetMap("root"), 10));
        Assert.Equal(10, Updates.Decode(doc.EncodeStateAsUpdate()).TypeNesting);
    }

    [Fact]
    public void Siblings_whose_parent_the_wire_leaves_out_are_at_their_first_siblings_depth()
    {
        // pushed one by one: every map after the first names only its origin (the previous map), not its parent
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var list = doc.GetArray("list");
        var inner = new YArray();
        list.Push([inner]);
        for (int i = 0; i < 50; i++)
        {
            var map = new YMap();
            inner.Push([map]);
            map.Set("x", new YText());
        }

        var decoded = Updates.Decode(doc.EncodeStateAsUpdate());
        Assert.Contains(decoded.Structs, s => s is Item { Parent: null, Content: ContentType });
        Assert.Equal(3, decoded.TypeNesting); // inner (1) > map (2) > text (3)

        // inserted between two siblings (origin and right origin, no parent on the wire), then nested once more
        var before = doc.EncodeStateVector();
        var middle = new YArray();
        inner.Insert(25, [middle]);
        middle.Push([new YMap()]);
        var step = Updates.Decode(doc.EncodeStateAsUpdate(before));
        Assert.Equal(2, step.TypeNesting); // the update holds neither inner nor its siblings: middle counts as 1
    }

    [Fact]
    public void A_chain_under_a_type_the_update_does_not_hold_counts_from_there()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var map = doc.GetMap("root");
        map = Nest(map, 5);

        var before = doc.EncodeStateVector();
        doc.Transact(_ =>
        {
            map = Nest(map, 3);
        });
        Assert.Equal(8, Updates.Decode(doc.EncodeStateAsUpdate()).TypeNesting);
        Assert.Equal(3, Updates.Decode(doc.EncodeStateAsUpdate(before)).TypeNesting);
    }

    [Fact]
    public void A_document_counts_an_update_from_where_its_types_attach_and_leaves_out_what_waits_for_a_parent()
    {
        var source = new Doc(new DocOptions { ClientId = 1 });
        var map = source.GetMap("root");
        var steps = new List<byte[]>();
        for (int s = 0; s < 3; s++)
        {
            var before = source.EncodeStateVector();
            source.Transact(_ =>
            {
                map = Nest(map, 4);
            });
            steps.Add(source.EncodeStateAsUpdate(before));
        }

        var doc = new Doc(new DocOptions { ClientId = 2 });
        doc.ApplyUpdate(steps[0]);
        Assert.Equal(8, doc.TypeNestingWith([Updates.Decode(steps[1])]));
        Assert.Equal(12, doc.TypeNestingWith([Updates.Decode(steps[1]), Updates.Decode(steps[2])]));
        // the third step waits for the second (its parent is missing): not counted, neither now nor when the second
        // lets it in (whoever sent the second must not be refused for structs someone else sent)
        doc.ApplyUpdate(steps[2]);
        Assert.Equal(0, doc.TypeNestingWith([]));
        Assert.Equal(8, doc.TypeNestingWith([Updates.Decode(steps[1])]));
        doc.ApplyUpdate(steps[1]);
        Assert.True(doc.GetMap("root").Has("c"));
        var fresh = new Doc(new DocOptions { ClientId = 3 });
        fresh.ApplyUpdate(doc.EncodeStateAsUpdate());
        Assert.Equal(12, Updates.Decode(fresh.EncodeStateAsUpdate()).TypeNesting);
    }

    /// <summary>Nests <paramref name="levels"/> maps under key "c", each in the one before; returns the deepest.</summary>
    private static YMap Nest(YMap map, int levels)
    {
        for (int i = 0; i < levels; i++)
        {
            var child = new YMap();
            map.Set("c", child);
            map = child;
        }

        return map;
    }

    [Fact]
    public void Deep_chains_are_counted_without_recursion_and_items_pointing_at_each_other_end()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.Transact(_ =>
        {
            var array = doc.GetArray("root");
            for (int i = 0; i < 100_000; i++)
            {
                var child = new YArray();
                array.Push([child]);
                array = child;
            }
        });
        var decoded = Updates.Decode(doc.EncodeStateAsUpdate());
        Assert.Equal(100_000, decoded.TypeNesting);

        // two hand-made items, each the other's origin: no parent can be found, each counts as one level
        var a = new Item(new Id(9, 0), new Id(9, 1), null, null, null, new ContentType(TypeRef.Map, null));
        var b = new Item(new Id(9, 1), new Id(9, 0), null, null, null, new ContentType(TypeRef.Map, null));
        Assert.Equal(1, new DecodedUpdate([a, b], new DeleteSet()).TypeNesting);
    }
}
