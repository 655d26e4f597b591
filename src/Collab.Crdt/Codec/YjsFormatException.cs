namespace Collab.Crdt;

/// <summary>Why an encoded update, state vector or value was rejected.</summary>
public enum YjsFormatError
{
    UnexpectedEndOfBuffer,
    IntegerOutOfRange,
    InvalidUtf8,
    UnknownStructKind,
    UnknownContentKind,
    UnknownTypeRef,
    UnknownAnyTag,
    InvalidJson,
    LimitExceeded,
    InvalidValue,
}

/// <summary>
/// The one exception every Collab decoder raises for malformed input: truncated, garbage, out-of-range
/// or over-limit bytes. It never leaves a partially applied result behind.
/// </summary>
public sealed class YjsFormatException : Exception
{
    public YjsFormatException(YjsFormatError reason, string message)
        : base(message) => Reason = reason;

    public YjsFormatException(YjsFormatError reason, string message, Exception inner)
        : base(message, inner) => Reason = reason;

    public YjsFormatError Reason { get; }
}

/// <summary>Throw sites kept out of the hot decode loops.</summary>
internal static class ThrowHelper
{
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void EndOfBuffer() =>
        throw new YjsFormatException(YjsFormatError.UnexpectedEndOfBuffer, "Unexpected end of buffer: the update is truncated or a length is wrong.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void IntegerOutOfRange() =>
        throw new YjsFormatException(YjsFormatError.IntegerOutOfRange, "Integer out of range: a varint exceeds 2^53.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Limit(string what, long value, long limit) =>
        throw new YjsFormatException(YjsFormatError.LimitExceeded, $"{what} of {value} exceeds the configured limit of {limit}.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Invalid(YjsFormatError reason, string message) =>
        throw new YjsFormatException(reason, message);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static T Invalid<T>(YjsFormatError reason, string message) =>
        throw new YjsFormatException(reason, message);
}
