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

    /// <summary>The group of connections whose token limits them to documents matching <paramref name="pattern"/>.</summary>
    public static string GroupName(string workspace, string pattern) => "ws:" + workspace + "\n" + pattern;

    // what this connection joined under a document pattern, to release the pattern when it leaves
    private const string PatternJoinsKey = "collab.pattern-joins";

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

        // a token limited to some documents hears only about those
        string? pattern = validator.Enabled ? Context.User?.FindFirst("document")?.Value : null;
        if (pattern is null || pattern == "*")
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(workspace)).ConfigureAwait(false);
            pattern = null;
        }
        else if (PatternJoins().Add(workspace))
        {
            events.AddPattern(workspace, pattern);
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(workspace, pattern)).ConfigureAwait(false);
        }

        HubLog.Joined(logger, Context.ConnectionId, workspace);

        // through the event loop, so the caller's presence snapshot is ordered with the events its group receives
        events.SendPresenceSnapshot(Context.ConnectionId, workspace, pattern);
    }

    public async Task Leave(string workspace)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(workspace)).ConfigureAwait(false);
        string? pattern = Context.User?.FindFirst("document")?.Value;
        if (pattern is not null && PatternJoins().Remove(workspace))
        {
            events.RemovePattern(workspace, pattern);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(workspace, pattern)).ConfigureAwait(false);
        }
    }

    public override Task OnConnectedAsync()
    {
        events.ListenerConnected();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        events.ListenerDisconnected();
        string? pattern = Context.User?.FindFirst("document")?.Value;
        if (pattern is not null)
        {
            foreach (string workspace in PatternJoins())
            {
                events.RemovePattern(workspace, pattern);
            }
        }

        return base.OnDisconnectedAsync(exception);
    }

    private HashSet<string> PatternJoins()
    {
        if (Context.Items.TryGetValue(PatternJoinsKey, out object? joined) && joined is HashSet<string> set)
        {
            return set;
        }

        set = new HashSet<string>(StringComparer.Ordinal);
        Context.Items[PatternJoinsKey] = set;
        return set;
    }
}
