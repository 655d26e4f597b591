using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>Keeps every log line of a test server so tests can assert that violations are logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> Entries { get; } = new();

    public bool Contains(int eventId, string? fragment = null) =>
        Entries.Any(e => e.Event.Id == eventId && (fragment is null || e.Message.Contains(fragment, StringComparison.Ordinal)));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
