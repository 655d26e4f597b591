using Collab.Server.Documents;
using Collab.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Collab.Server.Api;

/// <summary>The REST API under <c>/api</c>, its OpenAPI document (<c>/openapi/v1.json</c>) and a browsable page (<c>/api/docs</c>).</summary>
internal static class ApiEndpoints
{
    private const string Document = "/workspaces/{ws}/documents/{doc}";

    public static void AddCollabApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSingleton<ApiContext>();
    }

    public static void MapCollabApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapGet("/api/docs", () => TypedResults.Content(ApiDocsPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();

        var api = app.MapGroup("/api").AddEndpointFilter(MapErrorsAsync).WithTags("Collab");
        api.MapGet("/workspaces", DocumentEndpoints.ListWorkspacesAsync)
            .WithSummary("List workspaces (paged)").Produces<Page<WorkspaceItem>>().Problems(400, 401, 403);
        api.MapGet("/workspaces/{ws}/documents", DocumentEndpoints.ListDocumentsAsync)
            .WithSummary("List a workspace's documents (paged)").Produces<Page<DocumentItem>>().Problems(400, 401, 403);
        api.MapGet(Document, DocumentEndpoints.GetContentAsync)
            .WithSummary("A document's content as JSON: each root type as yjs toJSON (xml as toString); ?types=name:text,name:map,... names kinds")
            .Produces<Dictionary<string, object?>>().Problems(400, 401, 403, 404);
        api.MapGet(Document + "/update", DocumentEndpoints.GetUpdateAsync)
            .WithSummary("The document as a binary yjs update (v1 or v2), optionally only what ?stateVector= (base64url) lacks")
            .Produces<byte[]>(200, "application/octet-stream").Problems(400, 401, 403, 404);
        api.MapPost(Document + "/update", DocumentEndpoints.PostUpdateAsync)
            .WithSummary("Apply a binary yjs update as if from a client: stored durably, then broadcast; creates the document")
            .Accepts<byte[]>("application/octet-stream").Produces<SeqResponse>().Problems(400, 401, 403, 413, 503);
        api.MapDelete(Document, DocumentEndpoints.DeleteAsync)
            .WithSummary("Delete a document (admin): closes its connections with 4410 and removes it from storage")
            .Produces(204).Problems(401, 403, 404);
        api.MapGet(Document + "/history", HistoryEndpoints.GetHistoryAsync)
            .WithSummary("The update log's metadata (seq, time, size, origin), paged by seq")
            .Produces<Page<HistoryItem>>().Problems(400, 401, 403, 404);
        api.MapGet(Document + "/changes", HistoryEndpoints.GetChangesAsync)
            .WithSummary("Long-poll change feed: the updates after ?since=, waiting up to ?timeout= seconds (0-60) for one")
            .Produces<ChangesResponse>().Problems(400, 401, 403, 404, 410);
        api.MapPost(Document + "/snapshots", SnapshotEndpoints.CreateAsync)
            .WithSummary("Create a named snapshot of the current state; body {\"label\": \"...\"}; author from the token")
            .Accepts<CreateSnapshotRequest>("application/json").Produces<SnapshotItem>(201).Problems(400, 401, 403, 404);
        api.MapGet(Document + "/snapshots", SnapshotEndpoints.ListAsync)
            .WithSummary("The document's named snapshots, oldest first").Produces<SnapshotList>().Problems(401, 403, 404);
        api.MapGet(Document + "/snapshots/{id}", SnapshotEndpoints.GetAsync)
            .WithSummary("A named snapshot with its content as JSON (?types= as for the document)")
            .Produces<SnapshotWithContent>().Problems(400, 401, 403, 404);
        api.MapPost(Document + "/snapshots/{id}/restore", SnapshotEndpoints.RestoreAsync)
            .WithSummary("Restore a snapshot: one new update makes the live document equal to it; durable, broadcast, recorded in the history")
            .Produces<RestoreResponse>().Problems(400, 401, 403, 404, 503);
    }

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (int status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>Turns the typed failures of the layers below into problem details with their message.</summary>
    private static async ValueTask<object?> MapErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DocumentUnavailableException e)
        {
            return ApiProblems.Problem(e.Status, e.Status switch { 404 => "Not found", 413 => "Document too large", 400 => "Bad request", _ => "Service unavailable" }, e.Message);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.DocumentNotFound)
        {
            return ApiProblems.NotFound(e.Message);
        }
        catch (StorageException e) when (e.IsTransient)
        {
            return ApiProblems.Problem(503, "Storage unavailable", e.Message);
        }
        catch (StoreFeatureMissingException e)
        {
            return ApiProblems.Problem(501, "Not implemented", e.Message);
        }
    }
}
