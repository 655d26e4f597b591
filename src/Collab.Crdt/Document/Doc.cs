using System.Security.Cryptography;

namespace Collab.Crdt;

/// <summary>Arguments of <see cref="Doc.Update"/> and <see cref="Doc.UpdateV2"/>: one transaction's encoded update.</summary>
public sealed record UpdateEventArgs(byte[] Update, object? Origin, Transaction Transaction);

/// <summary>
/// A Yjs document (yjs <c>Y.Doc</c>): root types by name, the struct store, transactions and update events.
/// Not thread-safe: one owner at a time, as in the server's single-threaded document host.
/// </summary>
public sealed class Doc
{
    private readonly List<Transaction> _transactionCleanups = [];
    private Transaction? _transaction;

    public Doc(DocOptions? options = null)
    {
        options ??= new DocOptions();
        Guid = options.Guid ?? System.Guid.NewGuid().ToString();
        ClientId = options.ClientId ?? GenerateClientId();
        Gc = options.Gc;
        GcFilter = options.GcFilter;
        Meta = options.Meta;
        AutoLoad = options.AutoLoad;
        ShouldLoad = options.ShouldLoad;
    }

    public string Guid { get; }

    public ulong ClientId { get; set; }

    /// <summary>Whether deleted content is garbage-collected (yjs <c>gc</c>, default true).</summary>
    public bool Gc { get; }

    public Func<Item, bool>? GcFilter { get; }

    public object? Meta { get; }

    public bool AutoLoad { get; }

    public bool ShouldLoad { get; internal set; }

    public StructStore Store { get; } = new();

    /// <summary>Root types by name.</summary>
    public Dictionary<string, AbstractType> Share { get; } = new(StringComparer.Ordinal);

    /// <summary>The item holding this document when it is a subdocument.</summary>
    public Item? Item { get; internal set; }

    public HashSet<Doc> Subdocs { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Raised after each transaction that changed something, with its update in format v1.</summary>
    public event Action<UpdateEventArgs>? Update;

    /// <summary>Raised after each transaction that changed something, with its update in format v2.</summary>
    public event Action<UpdateEventArgs>? UpdateV2;

    public event Action<Transaction>? BeforeTransaction;

    public event Action<Transaction>? AfterTransaction;

    /// <summary>Subdocuments added, removed and loaded by a transaction.</summary>
    public event Action<(IReadOnlySet<Doc> Added, IReadOnlySet<Doc> Removed, IReadOnlySet<Doc> Loaded)>? SubdocsChanged;

    internal Transaction? CurrentTransaction => _transaction;

    /// <summary>A random 32-bit client id, as yjs generates them.</summary>
    public static ulong GenerateClientId() => (ulong)(uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);

    /// <summary>Runs <paramref name="f"/> in one transaction; nested calls join the outer transaction.</summary>
    public void Transact(Action<Transaction> f, object? origin = null) => Transact(f, origin, local: true);

    public T Transact<T>(Func<Transaction, T> f, object? origin = null)
    {
        T result = default!;
        Transact(t => { result = f(t); }, origin, local: true);
        return result;
    }

    internal void Transact(Action<Transaction> f, object? origin, bool local) =>
        Transact(f, static (t, action) => action(t), origin, local);

    /// <summary>A transaction that passes <paramref name="state"/> through, so hot paths need no closure.</summary>
    internal void Transact<TState>(TState state, Action<Transaction, TState> f, object? origin = null, bool local = true)
    {
        bool initialCall = false;
        if (_transaction is null)
        {
            initialCall = true;
            _transaction = new Transaction(this, origin, local);
            _transactionCleanups.Add(_transaction);
            BeforeTransaction?.Invoke(_transaction);
        }

        try
        {
            f(_transaction, state);
        }
        finally
        {
            if (initialCall)
            {
                bool finishCleanup = _transaction == _transactionCleanups[0];
                _transaction = null;
                if (finishCleanup)
                {
                    CleanupTransactions();
                }
            }
        }
    }

    private void CleanupTransactions()
    {
        // observers may start new transactions; they are queued and cleaned up in order
        for (int i = 0; i < _transactionCleanups.Count; i++)
        {
            TransactionCleanup.Run(_transactionCleanups[i]);
        }

        _transactionCleanups.Clear();
    }

    internal void RaiseAfterTransaction(Transaction t) => AfterTransaction?.Invoke(t);

    private Codec.UpdateEncoderV1? _v1Encoder;

    /// <summary>The v1 encoder for per-transaction updates, cleared; its bytes are copied out by ToArray.</summary>
    internal Codec.UpdateEncoderV1 RentV1Encoder()
    {
        _v1Encoder ??= new Codec.UpdateEncoderV1();
        _v1Encoder.RestEncoder.Clear();
        return _v1Encoder;
    }

    internal bool HasUpdateListeners => Update is not null || UpdateV2 is not null;

    internal void RaiseUpdates(Transaction t)
    {
        if (Update is { } v1 && t.EncodeUpdate(UpdateFormat.V1) is { } u1)
        {
            v1(new UpdateEventArgs(u1, t.Origin, t));
        }

        if (UpdateV2 is { } v2 && t.EncodeUpdate(UpdateFormat.V2) is { } u2)
        {
            v2(new UpdateEventArgs(u2, t.Origin, t));
        }
    }

    internal void RaiseSubdocs(Transaction t) => SubdocsChanged?.Invoke((t.SubdocsAdded, t.SubdocsRemoved, t.SubdocsLoaded));

    /// <summary>The root type of that name, created as <typeparamref name="T"/> on first use (yjs <c>doc.get</c>).</summary>
    public T Get<T>(string name)
        where T : AbstractType, new()
    {
        if (!Share.TryGetValue(name, out var type))
        {
            var created = new T();
            created.Integrate(this, null);
            created.RootName = name;
            Share[name] = created;
            return created;
        }

        if (type is T typed)
        {
            return typed;
        }

        if (type.GetType() == typeof(AbstractType))
        {
            // a placeholder created by a remote update: turn it into the requested type
            var t = new T();
            t.TakeOver(type);
            t.RootName = name;
            Share[name] = t;
            return t;
        }

        throw new InvalidOperationException($"Root type '{name}' is a {type.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>A root type for an incoming update; a placeholder until someone asks for a concrete kind.</summary>
    internal AbstractType GetOrCreateRoot(string name)
    {
        if (!Share.TryGetValue(name, out var type))
        {
            type = new AbstractType();
            type.Integrate(this, null);
            type.RootName = name;
            Share[name] = type;
        }

        return type;
    }

    public YText GetText(string name = "") => Get<YText>(name);

    public YMap GetMap(string name = "") => Get<YMap>(name);

    public YArray GetArray(string name = "") => Get<YArray>(name);

    public YXmlFragment GetXmlFragment(string name = "") => Get<YXmlFragment>(name);

    /// <summary>Applies an encoded update (yjs <c>Y.applyUpdate</c>/<c>applyUpdateV2</c>).</summary>
    public void ApplyUpdate(byte[] update, UpdateFormat format = UpdateFormat.V1, object? origin = null, DecoderLimits? limits = null) =>
        DocEncoding.ApplyUpdate(this, update, format, origin, limits ?? DecoderLimits.Default);

    /// <summary>
    /// How deeply shared types would nest once <paramref name="updates"/> are applied: the deepest type among their
    /// items, each counted from where it attaches in this document (a type in a root type is at depth 1). Items waiting
    /// for missing structs (pending) are not counted: a chain whose parent is nowhere yet counts from that parent, and
    /// is not counted again when a later update lets it in (that update may be someone else's, which must not be
    /// refused for structs it did not write).
    /// </summary>
    public int TypeNestingWith(IReadOnlyList<DecodedUpdate> updates)
    {
        var structs = updates.SelectMany(u => u.Structs);
        return TypeNestingCalc.Of(structs, (id, parentLink) =>
        {
            if (id.Clock >= Store.GetState(id.Client) || Store.Find(id) is not Item item)
            {
                return null;
            }

            return parentLink ? (item.Content as ContentType)?.Type?.Depth : (item.Parent as AbstractType)?.Depth;
        });
    }

    /// <summary>
    /// Applies an update decoded before with <see cref="Updates.Decode"/>, as <see cref="ApplyUpdate(byte[], UpdateFormat, object?, DecoderLimits?)"/>
    /// would apply its bytes, without decoding it again. The decoded structs become part of the document: apply a
    /// decoded update once, to one document.
    /// </summary>
    public void ApplyUpdate(DecodedUpdate update, object? origin = null) => DocEncoding.ApplyDecoded(this, update, origin);

    /// <summary>The document's state as an update, optionally only what a peer with <paramref name="stateVector"/> lacks.</summary>
    public byte[] EncodeStateAsUpdate(byte[]? stateVector = null, UpdateFormat format = UpdateFormat.V1) =>
        DocEncoding.EncodeStateAsUpdate(this, stateVector, format);

    public byte[] EncodeStateVector() => StateVector.Encode(Store.GetStateVector());

    /// <summary>
    /// True when every range of <paramref name="deletes"/> is already deleted in this document, so an
    /// update carrying only these deletions would change nothing.
    /// </summary>
    public bool CoversDeletions(DeleteSet deletes)
    {
        if (deletes.IsEmpty)
        {
            return true;
        }

        foreach (var (client, ranges) in deletes.Clients)
        {
            foreach (var range in ranges)
            {
                if (range.Len == 0)
                {
                    continue;
                }

                long end = range.Clock + range.Len;
                if (Store.GetState(client) < end)
                {
                    return false;
                }

                var structs = Store.Clients[client];
                for (int i = StructStore.FindIndex(structs, range.Clock); i < structs.Count && structs[i].Id.Clock < end; i++)
                {
                    if (!structs[i].Deleted)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>The JSON of every root type (yjs <c>doc.toJSON()</c>).</summary>
    public JsObject ToJson()
    {
        var obj = new JsObject();
        foreach (var (name, type) in Share)
        {
            obj.Set(name, type.ToJson());
        }

        return obj;
    }
}

/// <summary>Options of a <see cref="Doc"/>, as yjs' <c>new Y.Doc(opts)</c>.</summary>
public sealed record DocOptions
{
    public string? Guid { get; init; }

    public ulong? ClientId { get; init; }

    public bool Gc { get; init; } = true;

    public Func<Item, bool>? GcFilter { get; init; }

    public object? Meta { get; init; }

    public bool AutoLoad { get; init; }

    public bool ShouldLoad { get; init; } = true;
}
