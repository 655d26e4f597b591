using System.Security.Claims;
using Collab.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Hubs;

/// <summary>
/// Checks the JWT of every request to the workspace hub (negotiate, the WebSocket, polls) before SignalR sees it:
/// <c>Authorization: Bearer</c> (what SignalR clients send on negotiate), <c>?access_token=</c> (what they send
/// when opening a WebSocket, which cannot carry headers from a browser) or <c>?token=</c> (as on <c>/ws</c>).
/// A valid token becomes the request's user, which SignalR hands to the hub as <c>Context.User</c>.
/// </summary>
internal static class HubAuthentication
{
    public static void UseWorkspaceHubAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(WorkspaceHub.Path), branch => branch.Use(CheckAsync));

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var validator = context.RequestServices.GetRequiredService<TokenValidator>();
        if (!validator.Enabled)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var (identity, error) = await validator.ValidateIdentityAsync(TokenOf(context.Request)).ConfigureAwait(false);
        if (identity is null)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Collab.Server.Hubs");
            HubLog.Refused(logger, error!);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync(error!).ConfigureAwait(false);
            return;
        }

        context.User = new ClaimsPrincipal(identity);
        await next(context).ConfigureAwait(false);
    }

    private static string? TokenOf(HttpRequest request)
    {
        if (request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        string? token = request.Query["access_token"].FirstOrDefault();
        return string.IsNullOrEmpty(token) ? request.Query["token"].FirstOrDefault() : token;
    }
}
