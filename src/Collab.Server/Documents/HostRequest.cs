using Collab.Storage;

namespace Collab.Server.Documents;

/// <summary>
/// A request to a <see cref="DocumentHost"/> from outside its connections (the REST API). The registry counts it as
/// pending (like a join) when it posts it, so the host cannot unload before handling it; the host answers through the
/// request's completion and treats it as activity that restarts the idle delay.
/// </summary>
internal abstract class HostRequest : HostMessage
{
    /// <summary>Answers the request with an error (the host failed, shut down or the document was deleted).</summary>
    public abstract void Fail(Exception error);

    /// <summary>Applies a validated v1 update as if a client sent it: durable, then applied and broadcast; answers its seq.</summary>
    public sealed class ApplyUpdate(byte[] update, Crdt.DecodedUpdate decoded, bool hasTypes, string? origin) : HostRequest
    {
        public byte[] Payload { get; } = update;

        /// <summary>The update as validation decoded it (see <see cref="HostMessage.Update.Decoded"/>).</summary>
        public Crdt.DecodedUpdate Decoded { get; } = decoded;

        public bool HasTypes { get; } = hasTypes;
        public string? Origin { get; } = origin;
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    /// <summary>Reads the durable state: the whole state, or only what a peer with <see cref="StateVector"/> lacks (v1).</summary>
    public sealed class ReadState(byte[]? stateVector) : HostRequest
    {
        public byte[]? StateVector { get; } = stateVector;
        public TaskCompletionSource<HostState> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    /// <summary>Makes the document equal to a named snapshot with one new update (origin <see cref="Origin"/>); answers its seq.</summary>
    public sealed class Restore(NamedSnapshot snapshot, string origin) : HostRequest
    {
        public NamedSnapshot Snapshot { get; } = snapshot;
        public string Origin { get; } = origin;
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }

    /// <summary>Closes every connection (4410), waits for storage work in flight and unloads; the caller deletes the stored document.</summary>
    public sealed class Delete : HostRequest
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }
}

/// <summary>What <see cref="HostRequest.ReadState"/> answers: an encoded v1 update, the state vector and the last durable seq.</summary>
internal sealed record HostState(byte[] Update, byte[] StateVector, long Seq);

/// <summary>A host could not serve a request: <see cref="Status"/> is the HTTP status the API answers with.</summary>
internal sealed class DocumentUnavailableException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
