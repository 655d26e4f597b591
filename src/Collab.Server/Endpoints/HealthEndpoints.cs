using Collab.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Collab.Server.Endpoints;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (storage answers too).</summary>
internal static class HealthEndpoints
{
    public static void MapCollabHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Text("ok"));
        endpoints.MapGet("/health/ready", async (IDocumentStore store, CancellationToken ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            bool ok;
            try
            {
                ok = await store.PingAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                ok = false;
            }

            return ok ? Results.Text("ready") : Results.Text("storage unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
