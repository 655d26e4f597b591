namespace Collab.Crdt.Tests.Document;

public sealed class SharedTypeTests
{
    private static (Doc A, Doc B) Pair()
    {
        var a = new Doc(new DocOptions { ClientId = 1 });
        var b = new Doc(new DocOptions { ClientId = 2 });
        a.Update += e => b.ApplyUpdate(e.Update);
        b.Update += e => a.ApplyUpdate(e.Update);
        return (a, b);
    }

    private static string Json(Doc d) => JsJson.Stringify(d.ToJson())!;

    [Fact]
    public void Map_set_get_delete_and_overwrite_sync_between_peers()
    {
        var (a, b) = Pair();
        var map = a.GetMap("m");
        map.Set("x", 1);
        map.Set("y", "two");
        map.Set("x", new List<object?> { true, null, 2.5 });
        map.Delete("y");
        Assert.Equal("{\"x\":[true,null,2.5]}", JsJson.Stringify(b.GetMap("m").ToJson()));
        Assert.Equal(Undefined.Value, b.GetMap("m").Get("y"));
        Assert.Equal(1, b.GetMap("m").Count);
    }

    [Fact]
    public void Array_insert_push_delete_and_nested_types()
    {
        var (a, b) = Pair();
        var arr = a.GetArray("a");
        arr.Push(1, 2, 3);
        arr.Insert(1, "x");
        arr.Delete(0);
        var nested = new YMap();
        nested.Set("k", "v");
        arr.Push(nested, new byte[] { 7 });
        Assert.Equal("[\"x\",2,3,{\"k\":\"v\"},{\"0\":7}]", JsJson.Stringify(b.GetArray("a").ToJson()));
        Assert.Equal(5, b.GetArray("a").Length);
    }

    [Fact]
    public void Text_insert_delete_and_format_produce_the_expected_delta()
    {
        var (a, b) = Pair();
        var text = a.GetText("t");
        text.Insert(0, "hello world");
        text.Format(0, 5, new JsObject { ["bold"] = true });
        text.Delete(5, 1);
        text.Insert(5, "_");
        var delta = b.GetText("t").ToDelta();
        Assert.Equal("hello_world", b.GetText("t").ToString());
        Assert.Equal(2, delta.Count);
        // typing at the end of bold text continues it, as in yjs
        Assert.Equal("hello_", delta[0].Insert![0]);
        Assert.Equal("{\"bold\":true}", JsJson.Stringify(delta[0].Attributes));
        Assert.Null(delta[1].Attributes);
    }

    [Fact]
    public void Concurrent_inserts_at_the_same_position_converge()
    {
        var a = new Doc(new DocOptions { ClientId = 1 });
        var b = new Doc(new DocOptions { ClientId = 2 });
        a.GetText("t").Insert(0, "aaa");
        b.GetText("t").Insert(0, "bbb");
        a.ApplyUpdate(b.EncodeStateAsUpdate());
        b.ApplyUpdate(a.EncodeStateAsUpdate());
        Assert.Equal(a.GetText("t").ToString(), b.GetText("t").ToString());
        Assert.Equal(a.EncodeStateAsUpdate(), b.EncodeStateAsUpdate());
        Assert.Equal("aaabbb", a.GetText("t").ToString());
    }

    [Fact]
    public void Updates_arriving_out_of_order_wait_as_pending_and_apply_later()
    {
        var a = new Doc(new DocOptions { ClientId = 1 });
        var updates = new List<byte[]>();
        a.Update += e => updates.Add(e.Update);
        var t = a.GetText("t");
        t.Insert(0, "ab");
        t.Insert(2, "cd");
        t.Delete(0, 1);
        var b = new Doc(new DocOptions { ClientId = 2 });
        b.ApplyUpdate(updates[2]);
        b.ApplyUpdate(updates[1]);
        Assert.Equal(string.Empty, b.GetText("t").ToString());
        b.ApplyUpdate(updates[0]);
        Assert.Equal("bcd", b.GetText("t").ToString());
        Assert.Equal(a.EncodeStateAsUpdate(), b.EncodeStateAsUpdate());
    }

    [Fact]
    public void Xml_elements_attributes_and_text_render_as_yjs_toString()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var frag = doc.GetXmlFragment("x");
        var p = new YXmlElement("P");
        p.SetAttribute("class", "lead");
        var txt = new YXmlText();
        txt.Insert(0, "hi");
        p.Push(txt);
        frag.Push(p);
        txt.Format(0, 2, new JsObject { ["b"] = new JsObject() });
        Assert.Equal("<p class=\"lead\"><b>hi</b></p>", frag.ToString());

        var copy = new Doc();
        copy.ApplyUpdate(doc.EncodeStateAsUpdate(format: UpdateFormat.V2), UpdateFormat.V2);
        Assert.Equal(frag.ToString(), copy.GetXmlFragment("x").ToString());
    }

    [Fact]
    public void Observers_see_keys_and_delta()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var map = doc.GetMap("m");
        var arr = doc.GetArray("a");
        // like yjs, changes are computed inside the observer, before the transaction's garbage collection
        IReadOnlyDictionary<string, YKeyChange>? keys = null;
        IReadOnlyList<YDeltaOp>? delta = null;
        map.Observe((e, _) => keys = e.Keys);
        arr.Observe((e, _) => delta = e.Delta);
        map.Set("k", 1);
        Assert.Equal("add", keys!["k"].Action);
        map.Set("k", 2);
        Assert.Equal("update", keys!["k"].Action);
        Assert.Equal(1.0, keys["k"].OldValue);
        arr.Push("a", "b");
        arr.Insert(1, "x");
        Assert.Equal(2, delta!.Count);
        Assert.Equal(1, delta[0].Retain);
        Assert.Equal("x", delta[1].Insert![0]);
    }

    [Fact]
    public void Deep_observer_receives_nested_events_with_paths()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var root = doc.GetMap("root");
        var inner = new YMap();
        root.Set("inner", inner);
        IReadOnlyList<YEvent>? seen = null;
        root.ObserveDeep((events, _) => seen = events);
        inner.Set("a", 1);
        Assert.NotNull(seen);
        Assert.Equal(["inner"], seen![0].Path);
    }

    [Fact]
    public void Subdocuments_round_trip_with_their_options()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var sub = new Doc(new DocOptions { Guid = "sub-1", AutoLoad = true });
        doc.GetMap("m").Set("sub", sub);
        var copy = new Doc();
        copy.ApplyUpdate(doc.EncodeStateAsUpdate());
        var got = Assert.IsType<Doc>(copy.GetMap("m").Get("sub"));
        Assert.Equal("sub-1", got.Guid);
        Assert.True(got.AutoLoad);
        Assert.Equal(doc.EncodeStateAsUpdate(), copy.EncodeStateAsUpdate());
    }

    [Fact]
    public void Deleted_content_is_garbage_collected_only_when_gc_is_on()
    {
        var gc = new Doc(new DocOptions { ClientId = 1 });
        gc.GetText("t").Insert(0, "abc");
        gc.GetText("t").Delete(1, 1);
        var noGc = new Doc(new DocOptions { ClientId = 1, Gc = false });
        noGc.GetText("t").Insert(0, "abc");
        noGc.GetText("t").Delete(1, 1);
        Assert.Contains(Updates.Decode(gc.EncodeStateAsUpdate()).Structs, s => s is Item { Content: ContentDeleted });
        Assert.DoesNotContain(Updates.Decode(noGc.EncodeStateAsUpdate()).Structs, s => s is Item { Content: ContentDeleted });
    }

    [Fact]
    public void Relative_positions_follow_concurrent_edits()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var t = doc.GetText("t");
        t.Insert(0, "hello");
        var rel = RelativePosition.FromTypeIndex(t, 2);
        var decoded = RelativePosition.Decode(rel.Encode());
        t.Insert(0, ">>");
        var abs = decoded.ToAbsolute(doc);
        Assert.NotNull(abs);
        Assert.Equal(4, abs!.Value.Index);
        Assert.Same(t, abs.Value.Type);
    }

    [Fact]
    public void Snapshots_encode_compare_and_rebuild_past_content()
    {
        var doc = new Doc(new DocOptions { ClientId = 1, Gc = false });
        var t = doc.GetText("t");
        t.Insert(0, "first");
        var snap = Snapshot.Take(doc);
        t.Insert(5, " second");
        t.Delete(0, 1);
        Assert.True(snap.ContentEquals(Snapshot.Decode(snap.Encode())));
        Assert.True(snap.ContentEquals(Snapshot.Decode(snap.Encode(UpdateFormat.V2), UpdateFormat.V2)));
        Assert.False(snap.ContentEquals(Snapshot.Take(doc)));
        var past = snap.ToDoc(doc);
        Assert.Equal("first", past.GetText("t").ToString());
    }

    [Fact]
    public void Restore_makes_live_content_equal_with_new_operations_only()
    {
        var live = new Doc(new DocOptions { ClientId = 1, Gc = false });
        live.GetText("t").Insert(0, "version one");
        live.GetMap("m").Set("a", 1);
        var saved = new Doc();
        saved.ApplyUpdate(live.EncodeStateAsUpdate());

        live.GetText("t").Insert(0, "edited ");
        live.GetMap("m").Set("b", 2);
        live.GetMap("m").Set("a", 5);
        var before = live.Store.GetStateVector();

        var peer = new Doc(new DocOptions { ClientId = 9 });
        peer.ApplyUpdate(live.EncodeStateAsUpdate());
        live.Update += e => peer.ApplyUpdate(e.Update);

        DocRestore.MakeEqual(live, saved, "restore");
        Assert.Equal("{\"t\":\"version one\",\"m\":{\"a\":1}}", Json(live));
        peer.GetText("t");
        peer.GetMap("m");
        Assert.Equal(Json(live), Json(peer));
        // nothing was rewritten: the old state is still contained in the new one
        foreach (var (client, clock) in before)
        {
            Assert.True(live.Store.GetState(client) >= clock);
        }
    }

    [Fact]
    public void Malformed_update_leaves_the_document_untouched()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        doc.GetText("t").Insert(0, "keep");
        byte[] before = doc.EncodeStateAsUpdate();
        var other = new Doc(new DocOptions { ClientId = 2 });
        other.GetText("t").Insert(0, "xyz");
        byte[] bad = other.EncodeStateAsUpdate()[..^3];
        Assert.Throws<YjsFormatException>(() => doc.ApplyUpdate(bad));
        Assert.Equal(before, doc.EncodeStateAsUpdate());
    }

    [Fact]
    public void Text_events_carry_formatting_in_their_delta()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var text = doc.GetText("t");
        text.Insert(0, "abcdef");
        IReadOnlyList<YDeltaOp>? delta = null;
        text.Observe((e, _) => delta = e.Delta);
        text.Format(1, 2, new JsObject { ["bold"] = true });
        Assert.Equal(1, delta![0].Retain);
        Assert.Equal(2, delta[1].Retain);
        Assert.Equal("{\"bold\":true}", JsJson.Stringify(delta[1].Attributes));
        text.Insert(3, "X", new JsObject { ["italic"] = true });
        Assert.Equal(2, delta!.Count);
        Assert.Equal(3, delta[0].Retain);
        Assert.Equal("X", delta[1].Insert![0]);
        Assert.Equal("{\"italic\":true}", JsJson.Stringify(delta[1].Attributes));
        text.Delete(0, 2);
        Assert.Equal(2, delta![0].Delete);
    }

    [Fact]
    public void Apply_delta_inserts_formats_and_deletes_and_round_trips_through_to_delta()
    {
        var (a, b) = Pair();
        var text = a.GetText("t");
        text.ApplyDelta([
            new YDeltaOp(Insert: ["Hello "]),
            new YDeltaOp(Insert: ["world"], Attributes: new JsObject { ["bold"] = true }),
            new YDeltaOp(Insert: [new JsObject { ["image"] = "x.png" }]),
        ]);
        text.ApplyDelta([new YDeltaOp(Retain: 2), new YDeltaOp(Delete: 3), new YDeltaOp(Retain: 1, Attributes: new JsObject { ["italic"] = true })]);
        var delta = b.GetText("t").ToDelta();
        Assert.Equal("He", delta[0].Insert![0]);
        Assert.Equal(" ", delta[1].Insert![0]);
        Assert.Equal("{\"italic\":true}", JsJson.Stringify(delta[1].Attributes));
        Assert.Equal("world", delta[2].Insert![0]);
        Assert.Equal("{\"image\":\"x.png\"}", JsJson.Stringify(delta[3].Insert![0]));
    }
}
