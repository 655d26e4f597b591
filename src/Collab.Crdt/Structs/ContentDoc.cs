using Collab.Crdt.Codec;

namespace Collab.Crdt;

/// <summary>
/// A subdocument (ref 9): guid string, then its options as <c>any</c>. yjs rebuilds the options from the
/// document it creates, keeping only <c>gc: false</c>, <c>autoLoad: true</c> and <c>meta</c>, in that order.
/// </summary>
public sealed class ContentDoc : Content
{
    internal const int RefNumber = 9;

    public ContentDoc(string guid, JsObject options)
    {
        Guid = guid;
        Options = options;
    }

    public string Guid { get; }

    public JsObject Options { get; }

    /// <summary>The subdocument, once the item is part of a document.</summary>
    public Doc? Doc { get; private set; }

    /// <summary>Content for a subdocument inserted locally.</summary>
    public ContentDoc(Doc doc)
        : this(doc.Guid, OptionsOf(doc))
    {
        Doc = doc;
    }

    private static JsObject OptionsOf(Doc doc)
    {
        var opts = new JsObject();
        if (!doc.Gc)
        {
            opts.Set("gc", false);
        }

        if (doc.AutoLoad)
        {
            opts.Set("autoLoad", true);
        }

        if (doc.Meta is not null and not Undefined)
        {
            opts.Set("meta", doc.Meta);
        }

        return opts;
    }

    public override IReadOnlyList<object?> GetContent() => [Doc];

    internal override Content Copy() => new ContentDoc(Guid, Options);

    internal override void Integrate(Transaction transaction, Item item)
    {
        Doc ??= new Doc(new DocOptions
        {
            Guid = Guid,
            Gc = !Options.TryGetValue("gc", out var gc) || IsTruthy(gc),
            AutoLoad = Options.TryGetValue("autoLoad", out var al) && IsTruthy(al),
            Meta = Options.TryGetValue("meta", out var meta) ? meta : null,
            ShouldLoad = Options.TryGetValue("autoLoad", out var al2) && IsTruthy(al2),
        });
        Doc.Item = item;
        transaction.SubdocsAdded.Add(Doc);
        if (Doc.ShouldLoad)
        {
            transaction.SubdocsLoaded.Add(Doc);
        }
    }

    internal override void Delete(Transaction transaction)
    {
        if (!transaction.SubdocsAdded.Remove(Doc!))
        {
            transaction.SubdocsRemoved.Add(Doc!);
        }
    }

    public override int Ref => RefNumber;

    public override long Length => 1;

    public override bool IsCountable => true;

    internal override void Write(UpdateEncoder encoder, long offset)
    {
        encoder.WriteString(Guid);
        encoder.WriteAny(Options);
    }

    internal static ContentDoc ReadFrom(UpdateDecoder decoder)
    {
        string guid = decoder.ReadString();
        object? opts = decoder.ReadAny();
        return new ContentDoc(guid, NormalizeOptions(opts));
    }

    // new Doc({ guid, ...opts }) followed by the ContentDoc constructor, which re-derives the options.
    internal static JsObject NormalizeOptions(object? opts)
    {
        if (opts is null or Undefined)
        {
            ThrowHelper.Invalid(YjsFormatError.InvalidValue, "Subdocument options are null; yjs cannot create the document.");
        }

        var src = opts as JsObject;
        object? gc = src is not null && src.TryGetValue("gc", out var g) ? g : true;
        object? autoLoad = src is not null && src.TryGetValue("autoLoad", out var a) ? a : false;
        object? meta = src is not null && src.TryGetValue("meta", out var m) ? m : null;
        if (gc is Undefined)
        {
            gc = true; // a default parameter applies to undefined
        }

        if (meta is Undefined)
        {
            meta = null;
        }

        var result = new JsObject();
        if (!IsTruthy(gc))
        {
            result.Set("gc", false);
        }

        if (IsTruthy(autoLoad))
        {
            result.Set("autoLoad", true);
        }

        if (meta is not null)
        {
            result.Set("meta", meta);
        }

        return result;
    }

    internal static bool IsTruthy(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        long l => l != 0,
        string s => s.Length > 0,
        _ => true,
    };
}
