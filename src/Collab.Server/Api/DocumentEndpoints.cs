using System.Text;
using Collab.Crdt;
using Collab.Server.Auth;
using Collab.Server.Documents;
using Collab.Server.Logging;
using Collab.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Collab.Server.Api;

/// <summary>Listings, a document's content and binary state, applying an update, and deleting a document.</summary>
internal static class DocumentEndpoints
{
    public const int MaxNameLength = 256;

    public static async Task<IResult> ListWorkspacesAsync(HttpContext context, [FromServices] ApiContext api,
        [FromQuery] string? after, [FromQuery] string? limit)
    {
        var (caller, denied) = await ApiAccess.ForListingAsync(context, api.Tokens, workspace: null);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TryLimit(limit, out int take, out var error))
        {
            return ApiProblems.BadRequest(error!);
        }

        IReadOnlyList<string> names;
        if (caller!.Workspace is null or "*")
        {
            names = await api.Catalog.ListWorkspacesAsync(after, take, context.RequestAborted);
        }
        else
        {
            // a token for one workspace sees that one, if it holds documents
            bool listed = (after is null || string.CompareOrdinal(caller.Workspace, after) > 0)
                && (await api.Catalog.ListDocumentsAsync(caller.Workspace, null, 1, context.RequestAborted)).Count > 0;
            names = listed ? [caller.Workspace] : [];
        }

        var items = names.Select(n => new WorkspaceItem(n)).ToList();
        return TypedResults.Ok(new Page<WorkspaceItem>(items, items.Count == take ? items[^1].Name : null));
    }

    public static async Task<IResult> ListDocumentsAsync(HttpContext context, [FromServices] ApiContext api, string ws,
        [FromQuery] string? after, [FromQuery] string? limit)
    {
        if (ws.Length is 0 or > MaxNameLength)
        {
            return ApiProblems.BadRequest($"Workspace names must be 1 to {MaxNameLength} characters.");
        }

        var (caller, denied) = await ApiAccess.ForListingAsync(context, api.Tokens, ws);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TryLimit(limit, out int take, out var error))
        {
            return ApiProblems.BadRequest(error!);
        }

        var page = await api.Catalog.ListDocumentsAsync(ws, after, take, context.RequestAborted);
        var items = new List<DocumentItem>(page.Count);
        foreach (var info in page)
        {
            // a token limited to a document pattern lists only what it may open; the cursor still moves over the page
            if (caller!.Covers(info.Key.Document))
            {
                int clients = api.Registry.Find(info.Key)?.ConnectionCount ?? 0;
                items.Add(new DocumentItem(info.Key.Document, info.Size, info.UpdatedAt, info.LastSeq, clients));
            }
        }

        return TypedResults.Ok(new Page<DocumentItem>(items, page.Count == take ? page[^1].Key.Document : null));
    }

    public static async Task<IResult> GetContentAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc,
        [FromQuery] string? types)
    {
        var (key, _, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Read);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TryTypes(types, out var roots, out var error))
        {
            return ApiProblems.BadRequest(error!);
        }

        var state = await DocumentReader.ReadAsync(api, key, null, context.RequestAborted);
        if (state is null)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        var (json, unrenderable) = DocumentReader.Render(state.Update, api, roots);
        return unrenderable ?? TypedResults.Text(json!, "application/json", Encoding.UTF8);
    }

    public static async Task<IResult> GetUpdateAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc,
        [FromQuery] string? format, [FromQuery] string? stateVector)
    {
        var (key, _, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Read);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TryFormat(format, out var updateFormat, out var error) || !ApiQuery.TryStateVector(stateVector, out var vector, out error))
        {
            return ApiProblems.BadRequest(error!);
        }

        var state = await DocumentReader.ReadAsync(api, key, vector, context.RequestAborted);
        if (state is null)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        byte[] bytes = updateFormat == UpdateFormat.V2 ? Updates.Convert(state.Update, UpdateFormat.V1, UpdateFormat.V2) : state.Update;
        context.Response.Headers["X-Collab-Seq"] = state.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Bytes(bytes, "application/octet-stream");
    }

    public static async Task<IResult> PostUpdateAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc,
        [FromQuery] string? format)
    {
        var (key, caller, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Write);
        if (denied is not null)
        {
            return denied;
        }

        if (!ApiQuery.TryFormat(format, out var updateFormat, out var error))
        {
            return ApiProblems.BadRequest(error!);
        }

        int max = api.Options.Limits.MaxUpdateBytes;
        var body = await ReadBodyAsync(context.Request, max, context.RequestAborted);
        if (body is null)
        {
            return ApiProblems.Problem(413, "Update too large", $"The update exceeds {max} bytes (Collab:Limits:MaxUpdateBytes); nothing was applied.");
        }

        if (body.Length == 0)
        {
            return ApiProblems.BadRequest("The request body is empty: send the binary yjs update (Content-Type: application/octet-stream).");
        }

        byte[] update;
        DecodedUpdate decoded;
        try
        {
            // decode everything before anything is stored: a malformed update must not reach the log
            var limits = new DecoderLimits { MaxInputBytes = Math.Max(1, max) };
            update = updateFormat == UpdateFormat.V2 ? Updates.Convert(body, UpdateFormat.V2, UpdateFormat.V1, limits) : body;
            decoded = Updates.Decode(update, UpdateFormat.V1, limits);
        }
        catch (YjsFormatException e)
        {
            return ApiProblems.BadRequest($"The body is not a valid yjs {(updateFormat == UpdateFormat.V2 ? "v2" : "v1")} update: {e.Message} Nothing was applied.");
        }

        string origin = caller!.Subject is { } sub ? "rest:" + sub : "rest";
        var request = new HostRequest.ApplyUpdate(update, decoded, decoded.HasTypes, origin);
        if (!api.Registry.PostRequest(key, request))
        {
            return ShuttingDown();
        }

        long seq = await request.Completion.Task.WaitAsync(context.RequestAborted);
        return TypedResults.Ok(new SeqResponse(seq));
    }

    public static async Task<IResult> DeleteAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc)
    {
        var (key, caller, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Admin);
        if (denied is not null)
        {
            return denied;
        }

        while (!api.Registry.TryBeginDeletion(key, out var running))
        {
            await running;
        }

        bool existed;
        int connections = api.Registry.Find(key)?.ConnectionCount ?? 0;
        try
        {
            var request = new HostRequest.Delete();
            if (api.Registry.PostRequestIfLoaded(key, request))
            {
                try
                {
                    await request.Completion.Task;
                }
                catch (DocumentUnavailableException)
                {
                    // the host failed or unloaded first: it holds nothing that storage does not
                }
            }

            existed = await api.Store.DeleteAsync(key, CancellationToken.None);
        }
        finally
        {
            api.Registry.EndDeletion(key);
        }

        if (!existed)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        ServerLog.DocumentDeleted(api.Logger, key, caller!.Subject, connections);
        return TypedResults.NoContent();
    }

    internal static IResult? Validate(string ws, string doc) =>
        ws.Length is 0 or > MaxNameLength || doc.Length is 0 or > MaxNameLength
            ? ApiProblems.BadRequest($"Workspace and document names must be 1 to {MaxNameLength} characters.")
            : null;

    internal static IResult ShuttingDown() =>
        ApiProblems.Problem(503, "Service unavailable", "The server is shutting down; nothing was applied. Retry shortly.");

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
