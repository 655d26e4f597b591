namespace Collab.Crdt;

/// <summary>
/// The update algebra of yjs 13.6 (<c>mergeUpdates</c>, <c>diffUpdate</c>, <c>encodeStateVectorFromUpdate</c>,
/// <c>parseUpdateMeta</c>, <c>convertUpdateFormat</c>): operations on encoded updates that need no document.
/// Every output is byte-identical to what yjs produces for the same input.
/// Malformed input raises <see cref="YjsFormatException"/>.
/// </summary>
public static class Updates
{
    /// <summary>Merges updates into one (yjs <c>mergeUpdates</c> / <c>mergeUpdatesV2</c>).</summary>
    public static byte[] Merge(IReadOnlyList<byte[]> updates, UpdateFormat format = UpdateFormat.V1, DecoderLimits? limits = null)
        => UpdateAlgebra.Merge(updates, format, limits ?? DecoderLimits.Default);

    /// <summary>The part of <paramref name="update"/> not covered by <paramref name="stateVector"/> (yjs <c>diffUpdate</c>).</summary>
    public static byte[] Diff(byte[] update, byte[] stateVector, UpdateFormat format = UpdateFormat.V1, DecoderLimits? limits = null)
        => UpdateAlgebra.Diff(update, stateVector, format, limits ?? DecoderLimits.Default);

    /// <summary>The state vector an update brings a document to (yjs <c>encodeStateVectorFromUpdate</c>).</summary>
    public static byte[] EncodeStateVectorFromUpdate(byte[] update, UpdateFormat format = UpdateFormat.V1, DecoderLimits? limits = null)
        => UpdateAlgebra.EncodeStateVectorFromUpdate(update, format, limits ?? DecoderLimits.Default);

    /// <summary>Per client, the first clock and the clock after the last struct (yjs <c>parseUpdateMeta</c>).</summary>
    public static UpdateMeta ParseUpdateMeta(byte[] update, UpdateFormat format = UpdateFormat.V1, DecoderLimits? limits = null)
        => UpdateAlgebra.ParseUpdateMeta(update, format, limits ?? DecoderLimits.Default);

    /// <summary>Re-encodes an update in another format (yjs <c>convertUpdateFormatV1ToV2</c> and back).</summary>
    public static byte[] Convert(byte[] update, UpdateFormat from, UpdateFormat to, DecoderLimits? limits = null)
        => UpdateAlgebra.Convert(update, from, to, limits ?? DecoderLimits.Default);

    /// <summary>Decodes every struct and the delete set (yjs <c>decodeUpdate</c>).</summary>
    public static DecodedUpdate Decode(byte[] update, UpdateFormat format = UpdateFormat.V1, DecoderLimits? limits = null)
        => UpdateAlgebra.Decode(update, format, limits ?? DecoderLimits.Default);

    /// <summary>Encodes decoded structs and a delete set, as yjs' lazy writer does.</summary>
    public static byte[] Encode(DecodedUpdate update, UpdateFormat format = UpdateFormat.V1)
        => UpdateAlgebra.Encode(update, format);
}

/// <summary>The result of <see cref="Updates.ParseUpdateMeta"/>.</summary>
public sealed class UpdateMeta(IReadOnlyDictionary<ulong, long> from, IReadOnlyDictionary<ulong, long> to)
{
    public IReadOnlyDictionary<ulong, long> From { get; } = from;
    public IReadOnlyDictionary<ulong, long> To { get; } = to;
}

/// <summary>An update decoded into its structs (in wire order) and its delete set.</summary>
public sealed class DecodedUpdate(IReadOnlyList<AbstractStruct> structs, DeleteSet deleteSet)
{
    public IReadOnlyList<AbstractStruct> Structs { get; } = structs;
    public DeleteSet DeleteSet { get; } = deleteSet;

    /// <summary>
    /// How deeply the update's own items nest shared types: 1 for a type in a root, 2 for a type in that type, and so
    /// on; a chain of types under an item the update does not hold counts from 1. 0 when it holds no type.
    /// </summary>
    public int TypeNesting => TypeNestingCalc.Of(Structs);

    /// <summary>Whether the update creates any shared type (what <see cref="TypeNesting"/> counts).</summary>
    public bool HasTypes => TypeNestingCalc.AnyType(Structs);

    /// <summary>Set when a document applied the structs (they are its items now): a second apply is refused.</summary>
    internal bool Applied { get; set; }
}
