using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>
/// Runs <c>tests/ws-clients/scenario.mjs</c>: real y-websocket providers in Node. One process per scenario; it prints
/// JSON lines on stdout (the last one is the result) and is killed if it overruns its time.
/// </summary>
internal sealed class NodeScenario : IAsyncDisposable
{
    private static readonly Lazy<string> ClientsDirectory = new(FindClientsDirectory);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly BlockingCollection<string> _lines = [];
    private readonly string _name;

    private NodeScenario(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>Starts <paramref name="script"/> (in tests/ws-clients) as <c>node script scenario json</c>.</summary>
    public static NodeScenario Start(string scenario, object arguments, string script = "scenario.mjs")
    {
        string node = Environment.GetEnvironmentVariable("COLLAB_NODE") is { Length: > 0 } custom ? custom : "node";
        var psi = new ProcessStartInfo(node)
        {
            WorkingDirectory = ClientsDirectory.Value,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(scenario);
        psi.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start `{node}` for the y-websocket clients: {e.Message}. Install Node 20 (or set COLLAB_NODE).", e);
        }

        var run = new NodeScenario(process, scenario);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                run._lines.CompleteAdding();
            }
            else if (e.Data.Length > 0)
            {
                run._lines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                run._stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs a scenario to its end and returns its result; fails the test if it did not pass.</summary>
    public static async Task<JsonElement> RunAsync(string scenario, object arguments, TimeSpan? timeout = null)
    {
        await using var run = Start(scenario, arguments);
        return await run.ResultAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits for the next stdout line (e.g. a "ready" signal).</summary>
    public Task<JsonElement> NextLineAsync(TimeSpan timeout) => Task.Run(() =>
    {
        if (!_lines.TryTake(out var line, timeout))
        {
            throw new TimeoutException($"Scenario {_name} printed nothing within {timeout}. stderr:\n{Stderr}");
        }

        return JsonDocument.Parse(line).RootElement.Clone();
    });

    /// <summary>Waits for the process to end and returns its last line, asserting <c>ok</c>.</summary>
    public async Task<JsonElement> ResultAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Scenario {_name} did not finish within {timeout}. stderr:\n{Stderr}");
        }

        string? last = null;
        while (_lines.TryTake(out var line, TimeSpan.FromSeconds(2)))
        {
            last = line;
        }

        if (last is null)
        {
            throw new Xunit.Sdk.XunitException($"Scenario {_name} printed no result (exit code {_process.ExitCode}). stderr:\n{Stderr}");
        }

        var result = JsonDocument.Parse(last).RootElement.Clone();
        if (!result.GetProperty("ok").GetBoolean())
        {
            throw new Xunit.Sdk.XunitException($"Scenario {_name} failed: {result.GetProperty("error").GetString()}\nstderr:\n{Stderr}");
        }

        return result;
    }

    private string Stderr => string.Join('\n', _stderr.TakeLast(40));

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string FindClientsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
            {
                string clients = Path.Combine(dir.FullName, "tests", "ws-clients");
                if (!Directory.Exists(Path.Combine(clients, "node_modules", "y-websocket")))
                {
                    throw new InvalidOperationException(
                        "The y-websocket test clients are not installed (tests/ws-clients/node_modules is missing). " +
                        "Run `npm ci --prefix tests/ws-clients` from the repository root (Node 20), then run the tests again.");
                }

                return clients;
            }
        }

        throw new InvalidOperationException($"Could not find Collab.sln above {AppContext.BaseDirectory}.");
    }
}
