using Collab.Crdt;
using Collab.Server.Documents;
using Collab.Storage;

namespace Collab.Server.Api;

/// <summary>
/// Reads a document's durable state for the REST API: from its host when it is loaded (so the answer includes what
/// connected clients wrote a moment ago), else straight from storage (snapshot + log) without loading a host.
/// </summary>
internal static class DocumentReader
{
    /// <summary>The state (whole, or what a peer with <paramref name="stateVector"/> lacks; v1), or null if the document does not exist.</summary>
    public static async Task<HostState?> ReadAsync(ApiContext api, DocumentKey key, byte[]? stateVector, CancellationToken ct)
    {
        var request = new HostRequest.ReadState(stateVector);
        if (api.Registry.PostRequestIfLoaded(key, request))
        {
            try
            {
                var state = await request.Completion.Task.WaitAsync(ct).ConfigureAwait(false);
                // a host also serves a document that clients opened but nobody has written to yet: that one does not exist
                if (state.Seq > 0 || await api.Catalog.GetInfoAsync(key, ct).ConfigureAwait(false) is not null)
                {
                    return state;
                }

                return null;
            }
            catch (DocumentUnavailableException e) when (e.Status is 503 or 404)
            {
                // the host unloaded, failed or was deleted meanwhile: storage has the answer
            }
        }

        var stored = await api.Store.LoadAsync(key, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var limits = DocumentHost.DecoderLimitsFor(api.Options);
        var all = new List<byte[]>(stored.Log.Count + 1);
        if (stored.Snapshot is { Length: > 0 })
        {
            all.Add(stored.Snapshot);
        }

        foreach (var entry in stored.Log)
        {
            all.Add(entry.Payload);
        }

        byte[] merged = all.Count == 0 ? [0, 0] : Updates.Merge(all, UpdateFormat.V1, limits);
        byte[] vector = Updates.EncodeStateVectorFromUpdate(merged, UpdateFormat.V1, limits);
        byte[] update = stateVector is null ? merged : Updates.Diff(merged, stateVector, UpdateFormat.V1, limits);
        return new HostState(update, vector, stored.LastSeq);
    }

    /// <summary>A document built from an encoded v1 state, for rendering as JSON.</summary>
    public static Doc ToDoc(byte[] state, ApiContext api)
    {
        var doc = new Doc();
        doc.ApplyUpdate(state, UpdateFormat.V1, origin: null, DocumentHost.DecoderLimitsFor(api.Options));
        return doc;
    }

    /// <summary>
    /// The state rendered as yjs would (<see cref="DocJson"/>), or a 422 problem when the document nests shared types
    /// too deeply to render (stored before <c>MaxTypeNesting</c> applied, or built across many updates).
    /// </summary>
    public static (string? Json, IResult? Problem) Render(byte[] state, ApiContext api, IReadOnlyList<(string Name, TypeRef Kind)>? roots)
    {
        var doc = ToDoc(state, api);
        try
        {
            return (DocJson.Stringify(doc, roots), null);
        }
        catch (YjsFormatException e) when (e.Reason == YjsFormatError.LimitExceeded)
        {
            return (null, ApiProblems.Problem(422, "Cannot render", e.Message + " Read it as a binary update (GET .../update) instead."));
        }
    }
}
