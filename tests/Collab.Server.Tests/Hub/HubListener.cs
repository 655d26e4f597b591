using System.Text.Json;
using Collab.Server.Tests.Infrastructure;

namespace Collab.Server.Tests.Hub;

/// <summary>
/// Runs <c>tests/ws-clients/hub-client.mjs</c> (a real <c>@microsoft/signalr</c> client) and collects every line it
/// prints: joins, join errors, connect errors and received events.
/// </summary>
internal sealed class HubListener : IAsyncDisposable
{
    private readonly NodeScenario _process;
    private readonly List<JsonElement> _lines = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private string _stderr = string.Empty;

    private HubListener(NodeScenario process)
    {
        _process = process;
        _pump = Task.Run(PumpAsync);
    }

    public static HubListener Start(string url, string? token, params string[] workspaces) =>
        new(NodeScenario.Start("hub", new { url, token, workspaces }, "hub-client.mjs"));

    public static HubListener Start(object arguments) =>
        new(NodeScenario.Start("hub", arguments, "hub-client.mjs"));

    public List<JsonElement> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The data of every received event called <paramref name="name"/>, in order, with the time (ms) it arrived.</summary>
    public List<(long At, JsonElement Data)> Events(string name)
    {
        var events = new List<(long, JsonElement)>();
        foreach (var line in Lines)
        {
            if (line.TryGetProperty("event", out var e) && e.GetString() == name)
            {
                events.Add((line.GetProperty("at").GetInt64(), line.GetProperty("data")));
            }
        }

        return events;
    }

    /// <summary>Waits for a line matching <paramref name="predicate"/> and returns it.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            foreach (var line in Lines)
            {
                if (predicate(line))
                {
                    return line;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"The hub client did not report {what}. It printed:\n{string.Join('\n', Lines.Select(l => l.GetRawText()))}\n{_stderr}");
            }

            await Task.Delay(20);
        }
    }

    public Task<JsonElement> WaitForEventAsync(string name, Func<JsonElement, bool> predicate, string what, TimeSpan? timeout = null) =>
        WaitForAsync(l => l.TryGetProperty("event", out var e) && e.GetString() == name && predicate(l.GetProperty("data")), what, timeout);

    private async Task PumpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var line = await _process.NextLineAsync(TimeSpan.FromMilliseconds(200));
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
            catch (TimeoutException e)
            {
                // nothing yet (or the process ended): look again unless stopped; the message carries its stderr
                _stderr = e.Message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        await _process.DisposeAsync();
        _stop.Dispose();
    }
}
