using Collab.Storage;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Logging;

// The REST API's log lines (event ids 70-79).
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Restored {Document} to snapshot {SnapshotId} as seq {Seq} (by {By})")]
    public static partial void SnapshotRestored(ILogger logger, DocumentKey document, long snapshotId, long seq, string? by);

    [LoggerMessage(EventId = 71, Level = LogLevel.Information, Message = "Deleted {Document} over REST (by {By}); {Connections} connection(s) closed with 4410")]
    public static partial void DocumentDeleted(ILogger logger, DocumentKey document, string? by, int connections);

    [LoggerMessage(EventId = 72, Level = LogLevel.Information, Message = "Created snapshot {SnapshotId} '{Label}' of {Document} at seq {Seq} (by {By})")]
    public static partial void SnapshotCreated(ILogger logger, DocumentKey document, long snapshotId, string label, long seq, string? by);
}
