using Collab.Storage;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Logging;

/// <summary>Every log line of the server, with stable event ids.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "AUTHENTICATION IS OFF: anyone who can reach this server can read and change every document. Set Collab:Auth:Enabled=true and Collab:Auth:Secret to require JWTs.")]
    public static partial void AuthDisabled(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Collab is listening. Point a y-websocket provider at {Url}")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Storage: {Backend}")]
    public static partial void StorageBackend(ILogger logger, string backend);

    [LoggerMessage(EventId = 73, Level = LogLevel.Warning,
        Message = "Collab:Storage:Durability is Write: updates are broadcast once the database has them, before the disk does. A crash of Collab loses nothing; a crash of the machine (or of PostgreSQL) may lose the last second of edits. Flush (the default) waits for the disk.")]
    public static partial void WriteDurability(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Storage is in memory: every document is lost when the server stops. Use it for demos and tests only.")]
    public static partial void VolatileStorage(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Warmed up in {Milliseconds} ms: {Rounds} rounds, {Edits} edits on private in-memory documents, {StoreRounds} rolled-back appends to the store, {Methods} methods compiled (clients converged: {Converged})")]
    public static partial void WarmedUp(ILogger logger, long milliseconds, int rounds, int edits, int storeRounds, long methods, bool converged);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The start-up warm-up failed; the server starts anyway (its first clients may wait while code compiles)")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened on {Document} (role {Role})")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, DocumentKey document, string role);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Connection {ConnectionId} on {Document} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, DocumentKey document);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} on {Document} with {CloseCode}: {Reason}")]
    public static partial void ClosingConnection(ILogger logger, long connectionId, DocumentKey document, int closeCode, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "Connection {ConnectionId} on {Document} ended by a socket error")]
    public static partial void ConnectionSocketError(ILogger logger, Exception exception, long connectionId, DocumentKey document);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Refused a connection to {Document} with {StatusCode}: {Reason}")]
    public static partial void UpgradeRefused(ILogger logger, DocumentKey document, int statusCode, string reason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Connection {ConnectionId} (read-only) tried to write to {Document}; answered with permission denied")]
    public static partial void ReadOnlyWrite(ILogger logger, long connectionId, DocumentKey document);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "Connection {ConnectionId} on {Document} failed unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, long connectionId, DocumentKey document);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Loaded {Document}: {Bytes} bytes from a snapshot and {LogEntries} log entries in {ElapsedMs} ms")]
    public static partial void DocumentLoaded(ILogger logger, DocumentKey document, long bytes, int logEntries, long elapsedMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Could not load {Document}; its connections are closed and no empty document is served in its place")]
    public static partial void DocumentLoadFailed(ILogger logger, Exception exception, DocumentKey document);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Unloaded {Document}")]
    public static partial void DocumentUnloaded(ILogger logger, DocumentKey document);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Appending {Count} update(s) to {Document} failed; nothing of them was broadcast and every connection is closed so that clients resend on reconnect")]
    public static partial void AppendFailed(ILogger logger, Exception exception, DocumentKey document, int count);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Compacted {Document} up to seq {Seq}: snapshot of {Bytes} bytes")]
    public static partial void Compacted(ILogger logger, DocumentKey document, long seq, int bytes);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Compacting {Document} failed; the log stays as it is and compaction is retried later")]
    public static partial void CompactionFailed(ILogger logger, Exception exception, DocumentKey document);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "Shutting down: flushing {Count} loaded document(s)")]
    public static partial void ShutdownFlush(ILogger logger, int count);

    [LoggerMessage(EventId = 27, Level = LogLevel.Critical, Message = "The host of {Document} failed; its connections are closed")]
    public static partial void HostFailed(ILogger logger, Exception exception, DocumentKey document);

    [LoggerMessage(EventId = 28, Level = LogLevel.Warning, Message = "Shutdown did not finish flushing {Document} in time")]
    public static partial void ShutdownFlushTimedOut(ILogger logger, DocumentKey document);
}
