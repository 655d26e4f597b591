using Collab.Server.Auth;
using Collab.Server.Events;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Hubs;

/// <summary>
/// <c>/hubs/workspace</c>: a client joins workspaces and receives their events (<c>PresenceChanged</c>,
/// <c>DocumentChanged</c>, <c>SnapshotCreated</c>, <c>DocumentRestored</c>), each a single camelCase object.
/// The connection was authenticated by <see cref="HubAuthentication"/>; here only the workspace claim is checked.
/// </summary>
internal sealed class WorkspaceHub(TokenValidator validator, HubWorkspaceEvents events, ILogger<WorkspaceHub> logger) : Hub
{
    public const string Path = "/hubs/workspace";

    private const int MaxNameLength = 256;

    public static string GroupName(string workspace) => "ws:" + workspace;

    public async Task Join(string workspace)
    {
        if (string.IsNullOrEmpty(workspace) || workspace.Length > MaxNameLength)
        {
            throw new HubException($"A workspace name must be 1 to {MaxNameLength} characters.");
        }

        if (validator.Enabled)
        {
            string? granted = Context.User?.FindFirst("workspace")?.Value;
            if (granted != "*" && granted != workspace)
            {
                string reason = granted is null
                    ? $"The token has no workspace claim, so it does not grant access to workspace '{workspace}'."
                    : $"The token grants access to workspace '{granted}', not to '{workspace}'.";
                HubLog.JoinDenied(logger, Context.ConnectionId, workspace, reason);
                throw new HubException(reason);
            }
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(workspace)).ConfigureAwait(false);
        HubLog.Joined(logger, Context.ConnectionId, workspace);

        // through the event loop, so the caller's presence snapshot is ordered with the events its group receives
        events.SendPresenceSnapshot(Context.ConnectionId, workspace);
    }

    public Task Leave(string workspace) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(workspace));
}
