using Collab.Storage;

namespace Collab.Server.Options;

/// <summary>The <c>Collab</c> configuration section.</summary>
public sealed class CollabOptions
{
    public const string Section = "Collab";

    /// <summary>Where the embedded SQLite database lives (<c>Collab__DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "./data";

    public StorageOptions Storage { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public LimitOptions Limits { get; set; } = new();

    public DocumentOptions Documents { get; set; } = new();

    public ConnectionOptions Connections { get; set; } = new();

    public HubOptions Hub { get; set; } = new();

    public WarmUpOptions WarmUp { get; set; } = new();
}

/// <summary>
/// The start-up warm-up: before it listens, the server runs its sync path on private in-memory documents, so that
/// the JIT compiles it before the first clients arrive rather than while they wait.
/// </summary>
public sealed class WarmUpOptions
{
    /// <summary>On by default; off, the first seconds under load pay for compiling.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most it may add to start-up; it ends sooner once a round compiles almost nothing new.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class StorageOptions
{
    /// <summary>A PostgreSQL connection string; when set, PostgreSQL replaces the embedded SQLite store.</summary>
    public string? Postgres { get; set; }

    /// <summary>
    /// <c>sqlite</c> (default), <c>postgres</c> (implied by <see cref="Postgres"/>) or <c>memory</c>
    /// (volatile: for demos and tests only; the server logs a warning).
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>
    /// What the store waits for before an update is broadcast: <c>Flush</c> (default: the disk's fsync) or <c>Write</c>
    /// (the database has it; survives a crash of Collab, not of the machine). See <see cref="StorageDurability"/>.
    /// </summary>
    public StorageDurability Durability { get; set; } = StorageDurability.Flush;
}

public sealed class AuthOptions
{
    /// <summary>When false (the embedded default) every connection may read and write; the server says so loudly at start-up.</summary>
    public bool Enabled { get; set; }

    /// <summary>The HS256 secret tokens are signed with (at least 32 bytes of UTF-8).</summary>
    public string? Secret { get; set; }

    /// <summary>When set, tokens must carry this issuer.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, tokens must carry this audience.</summary>
    public string? Audience { get; set; }
}

/// <summary>Every limit is named, has a default, and a violation closes only the offending connection.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest WebSocket message accepted (close code 4413).</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest update (in a step 2 or update message) accepted (close code 4414).</summary>
    public int MaxUpdateBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest encoded document state an update may grow a document to (close code 4415).</summary>
    public long MaxDocumentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest awareness state (its JSON in UTF-8) accepted (close code 4416).</summary>
    public int MaxAwarenessStateBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Deepest nesting of shared types (a Y.Map in a Y.Array in ...) one update may build (close code 4417). Editors
    /// nest a few dozen levels; yjs clients recurse through nested types and fail thousands of levels down.
    /// </summary>
    public int MaxTypeNesting { get; set; } = 512;

    /// <summary>Sustained messages per second per connection (close code 4429)...</summary>
    public double MaxMessagesPerSecond { get; set; } = 100;

    /// <summary>...with bursts of up to this many messages.</summary>
    public int MessageBurst { get; set; } = 300;

    /// <summary>Connections one document accepts at once (close code 4503).</summary>
    public int MaxConnectionsPerDocument { get; set; } = 1000;
}

public sealed class DocumentOptions
{
    /// <summary>
    /// How a loaded document is held: <c>doc</c> (default: a live document with garbage collection, so
    /// compaction snapshots drop deleted content) or <c>merged</c> (a merged update, no garbage collection).
    /// </summary>
    public string State { get; set; } = "doc";

    /// <summary>
    /// The least time between two appends, and so two broadcasts, of one document. Zero (the default): an append
    /// starts as soon as the previous one finished, and what arrived meanwhile goes in it and out in one merged update
    /// message. Above zero, an update to a document that has not flushed for this long still goes at once, but under
    /// sustained editing a busy document sends each client at most one message per interval: fewer, larger messages
    /// for at most this much added latency.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.Zero;

    /// <summary>How long a document stays loaded after its last connection leaves.</summary>
    public TimeSpan IdleUnloadDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Updates kept unmerged beside the merged state before they are merged into it.</summary>
    public int MergeThreshold { get; set; } = 64;

    /// <summary>Compact the log (write a snapshot, retire the entries it covers) past this many entries...</summary>
    public int CompactionLogEntries { get; set; } = 1000;

    /// <summary>...or past this many bytes of log.</summary>
    public long CompactionLogBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>
    /// Each document compacts past the thresholds above raised by a random fraction up to this, drawn anew for each
    /// compaction, so that documents loaded and edited together do not all compact in the same second. 0: exactly at
    /// the thresholds.
    /// </summary>
    public double CompactionJitter { get; set; } = 0.5;

    /// <summary>
    /// Compactions this node runs at once. A document past its threshold waits for a free one and keeps appending
    /// meanwhile (its appends pause only while its own compaction runs), so that documents that reach their
    /// thresholds together (all loaded at start-up, edited at the same pace) do not all compact at once.
    /// </summary>
    public int CompactionConcurrency { get; set; } = 1;

    /// <summary>How long awareness states live without renewal (y-protocols: 30 s).</summary>
    public TimeSpan AwarenessTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shutdown waits for documents to flush.</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

public sealed class ConnectionOptions
{
    /// <summary>A ping goes out this often...</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>...and a connection whose peer does not answer within this time is closed.</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames queued for one slow connection before it is dropped (close code 4508).</summary>
    public int SendQueueCapacity { get; set; } = 4096;
}
