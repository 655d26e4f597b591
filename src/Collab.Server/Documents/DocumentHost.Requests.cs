using Collab.Crdt;
using Collab.Server.Connections;

namespace Collab.Server.Documents;

// Requests from the REST API: they run on the mailbox loop like everything else, so a read sees exactly the durable
// state and an update or a restore goes through the same append-then-broadcast path as a client's update.
internal sealed partial class DocumentHost
{
    private const string DeletedReason = "The document was deleted.";

    private void OnRequest(HostRequest request)
    {
        Interlocked.Decrement(ref PendingJoins);
        _idleSince = _time.GetTimestamp();
        if (_deleted)
        {
            request.Fail(DocumentDeleted());
            return;
        }

        switch (request)
        {
            case HostRequest.ApplyUpdate m:
                OnUpdate(new HostMessage.Update(m.Origin, m.Payload, m.Decoded, m.HasTypes, m.Completion));
                break;
            case HostRequest.ReadState m:
                OnReadState(m);
                break;
            case HostRequest.Restore m:
                OnRestore(m);
                break;
            case HostRequest.Delete m:
                OnDelete(m);
                break;
        }
    }

    private void OnReadState(HostRequest.ReadState request)
    {
        try
        {
            byte[] update = request.StateVector is null ? _state!.EncodeSnapshot() : _state!.EncodeStateAsUpdate(request.StateVector);
            request.Completion.TrySetResult(new HostState(update, _state.EncodeStateVector(), _lastSeq));
        }
        catch (YjsFormatException e)
        {
            request.Fail(new DocumentUnavailableException(400, "The state vector is not a valid yjs state vector: " + e.Message));
        }
    }

    private void OnRestore(HostRequest.Restore request)
    {
        byte[] update;
        try
        {
            // computed on a copy: the live state only ever holds durable updates, so the restore is applied when its append is
            update = SnapshotRestore.Compute(_state!.EncodeSnapshot(), request.Snapshot.State, DecoderLimitsFor(_options));
        }
        catch (YjsFormatException e) when (e.Reason == YjsFormatError.LimitExceeded)
        {
            request.Fail(new DocumentUnavailableException(422, $"Snapshot {request.Snapshot.Info.Id} cannot be restored: {e.Message}"));
            return;
        }
        catch (YjsFormatException e)
        {
            request.Fail(new DocumentUnavailableException(500, $"Snapshot {request.Snapshot.Info.Id} holds a state that cannot be decoded: {e.Message}"));
            return;
        }

        var decoded = Updates.Decode(update, UpdateFormat.V1, DecoderLimitsFor(_options));
        OnUpdate(new HostMessage.Update(request.Origin, update, decoded, decoded.HasTypes, request.Completion));
    }

    private void OnDelete(HostRequest.Delete request)
    {
        _deleted = true;
        _failed = true; // no more storage work, updates or joins
        _registry.ForceRemove(this);
        foreach (var connection in _connections)
        {
            connection.Close(CloseCodes.DocumentDeleted, DeletedReason);
        }

        _connections.Clear();
        Volatile.Write(ref _connectionCount, 0);
        FailCompletions(_queued, DocumentDeleted());
        _queued.Clear();
        Volatile.Write(ref _queuedCount, 0);
        _pendingDelete = request;
        if (!StorageBusy)
        {
            FinishDelete();
        }
    }

    /// <summary>Once no storage call is in flight: the caller may delete the stored document without a late append recreating it.</summary>
    private void FinishDelete()
    {
        _mailbox.Writer.TryComplete();
        _pendingDelete!.Completion.TrySetResult();
    }

    private static void FailCompletions(List<HostMessage.Update> updates, Exception error)
    {
        foreach (var update in updates)
        {
            update.Completion?.TrySetException(error);
        }
    }

    private static DocumentUnavailableException Unavailable() =>
        new(503, "The document is unavailable on this server right now (it failed, or the server is shutting down); nothing was applied. Retry shortly.");

    private static DocumentUnavailableException DocumentDeleted() =>
        new(404, "The document was deleted while the request was pending; nothing was applied.");
}
