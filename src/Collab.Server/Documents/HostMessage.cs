using Collab.Server.Connections;
using Collab.Storage;
using Collab.Sync;

namespace Collab.Server.Documents;

/// <summary>What a <see cref="DocumentHost"/>'s mailbox carries: work from connections, timers and storage completions.</summary>
internal abstract class HostMessage
{
    public sealed class Join(ClientConnection connection) : HostMessage
    {
        public ClientConnection Connection { get; } = connection;
    }

    public sealed class Leave(ClientConnection connection) : HostMessage
    {
        public ClientConnection Connection { get; } = connection;
    }

    public sealed class SyncStep1(ClientConnection connection, byte[] stateVector) : HostMessage
    {
        public ClientConnection Connection { get; } = connection;
        public byte[] StateVector { get; } = stateVector;
    }

    /// <summary>A validated update (from a step 2 or update message), broadcast as an update message once durable.</summary>
    public sealed class Update(ClientConnection connection, byte[] update, Crdt.DeleteSet? onlyDeletes, Crdt.DecodedUpdate? decoded, bool hasTypes)
        : HostMessage
    {
        /// <summary>An update from outside any connection (REST, a restore): <paramref name="completion"/> gets its seq once durable.</summary>
        public Update(string? origin, byte[] update, Crdt.DecodedUpdate? decoded, bool hasTypes, TaskCompletionSource<long> completion)
            : this(null!, update, null, decoded, hasTypes)
        {
            ExternalOrigin = origin;
            Completion = completion;
        }

        /// <summary>The sending connection; null for an update from outside (<see cref="Completion"/> is set then).</summary>
        public ClientConnection? Connection { get; } = connection;
        public byte[] Payload { get; } = update;
        private byte[]? _frame;

        /// <summary>
        /// The update as an update message, encoded when first needed: an update made durable together with others goes
        /// out merged with them, and most never need a frame of their own.
        /// </summary>
        public byte[] Frame => _frame ??= SyncMessages.EncodeUpdate(Payload);

        /// <summary>Set when the update has no structs: its deletions, to drop it if the document has them all.</summary>
        public Crdt.DeleteSet? OnlyDeletes { get; } = onlyDeletes;

        /// <summary>
        /// The update as validation decoded it, until the state applies it (then null): applied as it is, not decoded
        /// again. Its structs become the document's.
        /// </summary>
        public Crdt.DecodedUpdate? Decoded { get; private set; } = decoded;

        /// <summary>The decoded update while it holds shared types not yet applied: the host measures their nesting.</summary>
        public Crdt.DecodedUpdate? Typed => hasTypes ? Decoded : null;

        /// <summary>The decoded form, handed to the state that applies it (once).</summary>
        public Crdt.DecodedUpdate? TakeDecoded()
        {
            var decoded = Decoded;
            Decoded = null;
            return decoded;
        }

        public string? ExternalOrigin { get; }

        public TaskCompletionSource<long>? Completion { get; }

        public string? Origin => Connection?.Origin ?? ExternalOrigin;
    }

    /// <summary>A read-only connection's update that only deletes: denied unless the document has every deletion already.</summary>
    public sealed class ReadOnlyDeletes(ClientConnection connection, Crdt.DeleteSet deletes) : HostMessage
    {
        public ClientConnection Connection { get; } = connection;
        public Crdt.DeleteSet Deletes { get; } = deletes;
    }

    public sealed class Awareness(ClientConnection connection, List<AwarenessEntry> entries) : HostMessage
    {
        public ClientConnection Connection { get; } = connection;
        public List<AwarenessEntry> Entries { get; } = entries;
    }

    public sealed class QueryAwareness(ClientConnection connection) : HostMessage
    {
        public ClientConnection Connection { get; } = connection;
    }

    /// <summary>The flush interval since the last append has passed: queued updates may go to storage.</summary>
    public sealed class FlushDue : HostMessage
    {
        public static FlushDue Instance { get; } = new();
    }

    public sealed class Tick : HostMessage
    {
        public static Tick Instance { get; } = new();
    }

    public sealed class FlushCompleted(List<Update> batch, long lastSeq, Exception? error) : HostMessage
    {
        public List<Update> Batch { get; } = batch;
        public long LastSeq { get; } = lastSeq;
        public Exception? Error { get; } = error;
    }

    public sealed class CompactionCompleted(long upToSeq, int snapshotBytes, Exception? error) : HostMessage
    {
        public long UpToSeq { get; } = upToSeq;
        public int SnapshotBytes { get; } = snapshotBytes;
        public Exception? Error { get; } = error;
    }

    public sealed class Shutdown : HostMessage
    {
        public static Shutdown Instance { get; } = new();
    }

    internal static UpdateRecord ToRecord(Update update, DateTimeOffset now) =>
        new(update.Payload, update.Origin, now);
}
