namespace Collab.Sync;

/// <summary>Why a y-protocols message was rejected.</summary>
public enum SyncProtocolError
{
    UnexpectedEndOfBuffer,
    IntegerOutOfRange,
    InvalidUtf8,
    UnknownMessageType,
    UnknownSyncMessageType,
    UnknownAuthMessageType,
    TrailingBytes,
    InvalidJson,
    LimitExceeded,
}

/// <summary>
/// The one exception the y-protocols decoders raise for malformed input (truncated, garbage, unknown
/// message types, invalid awareness JSON, over-limit sizes). Nothing is applied when it is thrown.
/// </summary>
public sealed class SyncProtocolException : Exception
{
    public SyncProtocolException(SyncProtocolError error, string message)
        : base(message) => Error = error;

    public SyncProtocolError Error { get; }
}

/// <summary>Throw sites kept out of the decode paths.</summary>
internal static class SyncThrowHelper
{
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void EndOfBuffer() =>
        throw new SyncProtocolException(SyncProtocolError.UnexpectedEndOfBuffer, "Unexpected end of message: it is truncated or a length prefix is wrong.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void IntegerOutOfRange() =>
        throw new SyncProtocolException(SyncProtocolError.IntegerOutOfRange, "Integer out of range: a varUint exceeds 2^53.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void InvalidUtf8() =>
        throw new SyncProtocolException(SyncProtocolError.InvalidUtf8, "A string is not valid UTF-8.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Invalid(SyncProtocolError error, string message) =>
        throw new SyncProtocolException(error, message);
}
