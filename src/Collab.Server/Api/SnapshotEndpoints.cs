using System.Globalization;
using System.Text;
using System.Text.Json;
using Collab.Crdt;
using Collab.Server.Auth;
using Collab.Server.Documents;
using Collab.Server.Logging;
using Collab.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Collab.Server.Api;

/// <summary>Named snapshots: create from the current state, list, read with content, and restore as a new update.</summary>
internal static class SnapshotEndpoints
{
    public const int MaxLabelLength = 256;

    public static async Task<IResult> CreateAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc)
    {
        var (key, caller, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Write);
        if (denied is not null)
        {
            return denied;
        }

        string? label;
        try
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            label = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String
                ? l.GetString()
                : null;
        }
        catch (JsonException e)
        {
            return ApiProblems.BadRequest($"The body must be JSON like {{\"label\": \"before the rewrite\"}}: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(label) || label.Length > MaxLabelLength)
        {
            return ApiProblems.BadRequest($"The body needs a \"label\": a string of 1 to {MaxLabelLength} characters, not only whitespace.");
        }

        var state = await DocumentReader.ReadAsync(api, key, null, context.RequestAborted);
        if (state is null)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        NamedSnapshotInfo info;
        try
        {
            info = await api.Snapshots.SaveNamedSnapshotAsync(key, state.Seq, label, caller!.Subject, state.Update, state.StateVector, context.RequestAborted);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.DocumentNotFound)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        ServerLog.SnapshotCreated(api.Logger, key, info.Id, info.Label, info.Seq, caller.Subject);
        api.Events.SnapshotCreated(key, info);
        return TypedResults.Created(
            $"/api/workspaces/{Uri.EscapeDataString(ws)}/documents/{Uri.EscapeDataString(doc)}/snapshots/{info.Id}",
            SnapshotItem.From(info));
    }

    public static async Task<IResult> ListAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc)
    {
        var (key, _, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Read);
        if (denied is not null)
        {
            return denied;
        }

        if (await api.Catalog.GetInfoAsync(key, context.RequestAborted) is null)
        {
            return ApiProblems.DocumentNotFound(key);
        }

        var list = await api.Snapshots.ListNamedSnapshotsAsync(key, context.RequestAborted);
        return TypedResults.Ok(new SnapshotList([.. list.Select(SnapshotItem.From)]));
    }

    public static async Task<IResult> GetAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc, string id,
        [FromQuery] string? types)
    {
        var (key, _, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Read);
        if (denied is not null)
        {
            return denied;
        }

        if (!TryId(id, out long snapshotId, out var problem))
        {
            return problem!;
        }

        if (!ApiQuery.TryTypes(types, out var roots, out var error))
        {
            return ApiProblems.BadRequest(error!);
        }

        var snapshot = await api.Snapshots.GetNamedSnapshotAsync(key, snapshotId, context.RequestAborted);
        if (snapshot is null)
        {
            return SnapshotNotFound(key, snapshotId);
        }

        // the content is spliced in as yjs renders it, not re-serialized (key order and number formatting are yjs')
        var (content, unrenderable) = DocumentReader.Render(snapshot.State, api, roots);
        if (unrenderable is not null)
        {
            return unrenderable;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var info = snapshot.Info;
            writer.WriteStartObject();
            writer.WriteNumber("id", info.Id);
            writer.WriteString("label", info.Label);
            if (info.Author is null)
            {
                writer.WriteNull("author");
            }
            else
            {
                writer.WriteString("author", info.Author);
            }

            writer.WriteNumber("seq", info.Seq);
            writer.WriteString("createdAt", info.CreatedAt);
            writer.WriteNumber("size", info.Size);
            writer.WritePropertyName("content");
            writer.WriteRawValue(content!, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return TypedResults.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json", Encoding.UTF8);
    }

    public static async Task<IResult> RestoreAsync(HttpContext context, [FromServices] ApiContext api, string ws, string doc, string id)
    {
        var (key, caller, denied) = await ApiAccess.ForDocumentAsync(context, api.Tokens, ws, doc, AccessRole.Write);
        if (denied is not null)
        {
            return denied;
        }

        if (!TryId(id, out long snapshotId, out var problem))
        {
            return problem!;
        }

        var snapshot = await api.Snapshots.GetNamedSnapshotAsync(key, snapshotId, context.RequestAborted);
        if (snapshot is null)
        {
            return SnapshotNotFound(key, snapshotId);
        }

        string origin = caller!.Subject is { } sub ? $"restore:{snapshotId}:{sub}" : $"restore:{snapshotId}";
        var request = new HostRequest.Restore(snapshot, origin);
        if (!api.Registry.PostRequest(key, request))
        {
            return DocumentEndpoints.ShuttingDown();
        }

        long seq = await request.Completion.Task.WaitAsync(context.RequestAborted);
        ServerLog.SnapshotRestored(api.Logger, key, snapshotId, seq, caller.Subject);
        api.Events.DocumentRestored(key, snapshotId, seq, caller.Subject);
        return TypedResults.Ok(new RestoreResponse(seq, snapshotId));
    }

    private static bool TryId(string text, out long id, out IResult? problem)
    {
        problem = null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return true;
        }

        problem = ApiProblems.BadRequest($"A snapshot id is a positive whole number (as POST .../snapshots returned it); got '{text}'.");
        return false;
    }

    private static IResult SnapshotNotFound(DocumentKey key, long id) =>
        ApiProblems.NotFound($"Document '{key.Document}' in workspace '{key.Workspace}' has no snapshot {id}; list them with GET .../snapshots.");
}
