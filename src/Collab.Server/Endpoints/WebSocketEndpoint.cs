using System.Net.WebSockets;
using Collab.Server.Auth;
using Collab.Server.Connections;
using Collab.Server.Documents;
using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Server.Endpoints;

/// <summary><c>/ws/{workspace}/{document}</c>: the y-websocket endpoint.</summary>
internal static class WebSocketEndpoint
{
    public const string Pattern = "/ws/{workspace}/{document}";

    private const int MaxNameLength = 256;

    public static void MapCollabWebSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Pattern, HandleAsync);

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Collab.Server.WebSocket");
        string workspace = context.Request.RouteValues["workspace"] as string ?? string.Empty;
        string document = context.Request.RouteValues["document"] as string ?? string.Empty;
        if (workspace.Length is 0 or > MaxNameLength || document.Length is 0 or > MaxNameLength)
        {
            await RefuseAsync(context, 400, $"Workspace and document names must be 1 to {MaxNameLength} characters.").ConfigureAwait(false);
            return;
        }

        var key = new DocumentKey(workspace, document);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, 400, "This endpoint speaks the y-websocket protocol: connect with a WebSocket (e.g. a y-websocket provider).").ConfigureAwait(false);
            return;
        }

        string? token = context.Request.Query["token"].FirstOrDefault();
        if (string.IsNullOrEmpty(token) && context.Request.Headers.Authorization.FirstOrDefault() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }

        var auth = await services.GetRequiredService<TokenValidator>().ValidateAsync(token, key).ConfigureAwait(false);
        if (auth.Grant is null)
        {
            ServerLog.UpgradeRefused(logger, key, auth.StatusCode, auth.Error!);
            await RefuseAsync(context, auth.StatusCode, auth.Error!).ConfigureAwait(false);
            return;
        }

        var options = services.GetRequiredService<IOptions<CollabOptions>>().Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.Connections.PingInterval,
            KeepAliveTimeout = options.Connections.PongTimeout,
        }).ConfigureAwait(false);

        var connection = new ClientConnection(socket, key, auth.Grant, options, logger, services.GetRequiredService<TimeProvider>());
        await connection.RunAsync(services.GetRequiredService<DocumentRegistry>(), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(message);
    }
}
