namespace Collab.Crdt;

/// <summary>
/// Bounds that a decoder enforces on untrusted input, on top of the structural ones (no length may point
/// past the end of the buffer). A violation raises <see cref="YjsFormatException"/> with
/// <see cref="YjsFormatError.LimitExceeded"/>.
/// </summary>
public sealed record DecoderLimits
{
    public static DecoderLimits Default { get; } = new();

    /// <summary>Largest accepted input, in bytes.</summary>
    public int MaxInputBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>Largest single string or byte array, in bytes.</summary>
    public int MaxStringBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Largest element count of a collection (clients, structs, array and object entries).</summary>
    public long MaxCount { get; init; } = 16 * 1024 * 1024;

    /// <summary>Deepest nesting of <c>any</c> and JSON values; deeper input would risk the stack.</summary>
    public int MaxDepth { get; init; } = 128;
}
