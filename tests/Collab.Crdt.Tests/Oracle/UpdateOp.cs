using System.Text;
using System.Text.Json.Nodes;

namespace Collab.Crdt.Tests.Oracle;

public enum UpdateOpKind
{
    /// <summary><c>mergeUpdates</c> of all <see cref="UpdateOp.Inputs"/>.</summary>
    Merge,

    /// <summary><c>diffUpdate</c> of the first input against <see cref="UpdateOp.StateVector"/>.</summary>
    Diff,

    /// <summary><c>encodeStateVectorFromUpdate</c> of the first input.</summary>
    StateVectorFromUpdate,

    /// <summary><c>parseUpdateMeta</c> of the first input.</summary>
    Meta,

    /// <summary><c>convertUpdateFormat</c> of the first input from <see cref="UpdateOp.Format"/> to the other format.</summary>
    Convert,

    /// <summary>Collab's Decode then Encode, against yjs' lazy reader and writer on the same bytes.</summary>
    RoundTrip,
}

/// <summary>
/// One call of the update algebra, runnable in Collab and in yjs, so that a property can compare the two and a
/// mismatch can be written to disk and replayed as a regression test (see <c>repros/</c>).
/// </summary>
public sealed record UpdateOp(UpdateOpKind Kind, UpdateFormat Format, IReadOnlyList<byte[]> Inputs, byte[]? StateVector = null)
{
    private bool V2 => Format == UpdateFormat.V2;

    public UpdateOutcome RunCollab()
    {
        try
        {
            var first = Inputs[0];
            return Kind switch
            {
                UpdateOpKind.Merge => UpdateOutcome.OfBytes(Updates.Merge(Inputs, Format)),
                UpdateOpKind.Diff => UpdateOutcome.OfBytes(Updates.Diff(first, StateVector!, Format)),
                UpdateOpKind.StateVectorFromUpdate => UpdateOutcome.OfBytes(Updates.EncodeStateVectorFromUpdate(first, Format)),
                UpdateOpKind.Meta => OfMeta(Updates.ParseUpdateMeta(first, Format)),
                UpdateOpKind.Convert => UpdateOutcome.OfBytes(Updates.Convert(first, Format, Other(Format))),
                UpdateOpKind.RoundTrip => UpdateOutcome.OfBytes(Updates.Encode(Updates.Decode(first, Format), Format)),
                _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
            };
        }
        catch (YjsFormatException e)
        {
            return UpdateOutcome.OfRejection($"{nameof(YjsFormatException)} ({e.Reason}): {e.Message}");
        }
        catch (Exception e)
        {
            // Anything but the typed format error is a bug of its own; keep it distinguishable from a rejection.
            return UpdateOutcome.OfCrash($"{e.GetType().FullName}: {e.Message}");
        }
    }

    /// <param name="timeout">How long yjs may take; running out counts as a rejection (see oracle.mjs on why yjs can spin).</param>
    public async Task<UpdateOutcome> RunYjsAsync(YjsOracle oracle, TimeSpan? timeout = null)
    {
        try
        {
            var first = Inputs[0];
            return Kind switch
            {
                UpdateOpKind.Merge => UpdateOutcome.OfBytes(await oracle.MergeAsync(Inputs, V2, timeout).ConfigureAwait(false)),
                UpdateOpKind.Diff => UpdateOutcome.OfBytes(await oracle.DiffAsync(first, StateVector!, V2, timeout).ConfigureAwait(false)),
                UpdateOpKind.StateVectorFromUpdate => UpdateOutcome.OfBytes(await oracle.EncodeStateVectorFromUpdateAsync(first, V2, timeout).ConfigureAwait(false)),
                UpdateOpKind.Meta => await MetaAsync(oracle, first, timeout).ConfigureAwait(false),
                UpdateOpKind.Convert => UpdateOutcome.OfBytes(await oracle.ConvertAsync(first, toV2: !V2, timeout).ConfigureAwait(false)),
                UpdateOpKind.RoundTrip => UpdateOutcome.OfBytes(await oracle.ReencodeAsync(first, V2, timeout).ConfigureAwait(false)),
                _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
            };
        }
        catch (YjsOracleException e) when (e.Op != "process")
        {
            return UpdateOutcome.OfRejection("yjs threw: " + FirstLine(e.Error));
        }
    }

    private async Task<UpdateOutcome> MetaAsync(YjsOracle oracle, byte[] update, TimeSpan? timeout)
    {
        var meta = await oracle.ParseUpdateMetaAsync(update, V2, timeout).ConfigureAwait(false);
        return UpdateOutcome.OfMeta(meta.From, meta.To);
    }

    private static UpdateOutcome OfMeta(UpdateMeta meta) => UpdateOutcome.OfMeta(meta.From, meta.To);

    private static UpdateFormat Other(UpdateFormat f) => f == UpdateFormat.V1 ? UpdateFormat.V2 : UpdateFormat.V1;

    private static string FirstLine(string s)
    {
        var i = s.IndexOf('\n');
        return i < 0 ? s : s[..i];
    }

    /// <summary>Total input size, to prefer the smallest mismatch as the repro.</summary>
    public int Size
    {
        get
        {
            var n = StateVector?.Length ?? 0;
            foreach (var u in Inputs)
            {
                n += u.Length;
            }

            return n;
        }
    }

    public JsonObject ToJson()
    {
        var inputs = new JsonArray();
        foreach (var u in Inputs)
        {
            inputs.Add(System.Convert.ToBase64String(u));
        }

        var json = new JsonObject
        {
            ["op"] = Kind.ToString(),
            ["format"] = Format == UpdateFormat.V1 ? "v1" : "v2",
            ["inputs"] = inputs,
        };
        if (StateVector is not null)
        {
            json["sv"] = System.Convert.ToBase64String(StateVector);
        }

        return json;
    }

    public static UpdateOp FromJson(JsonObject json)
    {
        var kind = Enum.Parse<UpdateOpKind>((string)json["op"]!);
        var format = (string)json["format"]! == "v2" ? UpdateFormat.V2 : UpdateFormat.V1;
        var inputs = new List<byte[]>();
        foreach (var u in json["inputs"]!.AsArray())
        {
            inputs.Add(System.Convert.FromBase64String((string)u!));
        }

        var sv = json["sv"] is { } s ? System.Convert.FromBase64String((string)s!) : null;
        return new UpdateOp(kind, format, inputs, sv);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Kind).Append(' ').Append(Format).Append(" inputs=[");
        for (var i = 0; i < Inputs.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ").Append(System.Convert.ToBase64String(Inputs[i]));
        }

        sb.Append(']');
        if (StateVector is not null)
        {
            sb.Append(" sv=").Append(System.Convert.ToBase64String(StateVector));
        }

        return sb.ToString();
    }
}

/// <summary>
/// The result of an <see cref="UpdateOp"/>: bytes (base64), a meta map, a rejection (the typed format error in
/// Collab, any throw in yjs) or, in Collab only, a crash (any other exception).
/// </summary>
public sealed record UpdateOutcome(UpdateOutcomeKind Kind, string Value)
{
    public static UpdateOutcome OfBytes(byte[] bytes) => new(UpdateOutcomeKind.Value, System.Convert.ToBase64String(bytes));

    public static UpdateOutcome OfMeta(IReadOnlyDictionary<ulong, long> from, IReadOnlyDictionary<ulong, long> to)
        => new(UpdateOutcomeKind.Value, "from " + Describe(from) + " to " + Describe(to));

    public static UpdateOutcome OfRejection(string why) => new(UpdateOutcomeKind.Rejected, why);

    public static UpdateOutcome OfCrash(string what) => new(UpdateOutcomeKind.Crashed, what);

    /// <summary>Same value, or both rejected (the messages of yjs and Collab differ by design).</summary>
    public bool Agrees(UpdateOutcome yjs)
        => Kind == yjs.Kind && (Kind == UpdateOutcomeKind.Rejected || Value == yjs.Value);

    private static string Describe(IReadOnlyDictionary<ulong, long> map)
    {
        var keys = map.Keys.ToList();
        keys.Sort((a, b) => b.CompareTo(a));
        return "{" + string.Join(", ", keys.Select(k => $"{k}: {map[k]}")) + "}";
    }

    public JsonObject ToJson() => new() { ["kind"] = Kind.ToString(), ["value"] = Value };

    public static UpdateOutcome FromJson(JsonObject json)
        => new(Enum.Parse<UpdateOutcomeKind>((string)json["kind"]!), (string)json["value"]!);

    public override string ToString() => Kind == UpdateOutcomeKind.Value ? Value : $"{Kind}: {Value}";
}

public enum UpdateOutcomeKind
{
    Value,
    Rejected,
    Crashed,
}
