using Microsoft.Extensions.Logging;

namespace Collab.Server.Hubs;

/// <summary>The workspace hub's log lines (event ids 60–69, beside <see cref="Logging.ServerLog"/>'s).</summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Refused a workspace hub request with 401: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Hub connection {ConnectionId} may not join workspace {Workspace}: {Reason}")]
    public static partial void JoinDenied(ILogger logger, string connectionId, string workspace, string reason);

    [LoggerMessage(EventId = 62, Level = LogLevel.Debug, Message = "Hub connection {ConnectionId} joined workspace {Workspace}")]
    public static partial void Joined(ILogger logger, string connectionId, string workspace);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "Sending {Event} for {Workspace} to the workspace hub failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, string @event, string workspace);
}
