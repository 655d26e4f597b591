namespace Collab.Storage;

/// <summary>Microseconds since the Unix epoch: the resolution PostgreSQL keeps, so both backends round-trip alike.</summary>
internal static class UnixTime
{
    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary>Drops sub-microsecond ticks and the offset, as a round trip through either backend does.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => FromMicros(ToMicros(value));
}
