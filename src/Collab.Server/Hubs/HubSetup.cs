using Collab.Server.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Collab.Server.Hubs;

/// <summary>Registers the workspace hub and its event delivery, and maps <c>/hubs/workspace</c>.</summary>
internal static class HubSetup
{
    public static void AddWorkspaceHub(this IServiceCollection services)
    {
        // JSON protocol only: the MessagePack protocol package is not available to this build
        services.AddSignalR();
        services.AddSingleton<HubWorkspaceEvents>();
        services.AddSingleton<IWorkspaceEvents>(sp => sp.GetRequiredService<HubWorkspaceEvents>());
        services.AddHostedService(sp => sp.GetRequiredService<HubWorkspaceEvents>());
    }

    public static void MapWorkspaceHub(this WebApplication app)
    {
        app.UseWorkspaceHubAuthentication();
        app.MapHub<WorkspaceHub>(WorkspaceHub.Path);
    }
}
