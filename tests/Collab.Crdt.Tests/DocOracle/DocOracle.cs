using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collab.Crdt.Tests.Oracle;

namespace Collab.Crdt.Tests.DocOracle;

/// <summary>What one peer of a script holds at the end (the same fields from yjs and from Collab).</summary>
public sealed record DocPeerState(
    ulong Client,
    byte[] StateV1,
    byte[] StateV2,
    byte[] StateVector,
    IReadOnlyDictionary<string, string> Json,
    IReadOnlyDictionary<string, string> Dump);

/// <summary>One update event of a script run: which peer, in which step, local or received, and its bytes.</summary>
public sealed record DocUpdateEvent(int Peer, int Step, bool Local, byte[] V1, byte[] V2);

/// <summary>A whole script run: every update event in order, every peer's end state, and how many ops found no target.</summary>
public sealed record DocRun(IReadOnlyList<DocUpdateEvent> Updates, IReadOnlyList<DocPeerState> Peers, int Skipped);

/// <summary>
/// Real yjs 13.6.33 running document-model scripts (<c>tests/yjs-oracle/doc-oracle.mjs</c>) in a long-lived Node
/// process, one request at a time. The process plumbing is a cut-down copy of <see cref="YjsOracle"/>'s.
/// </summary>
public sealed class DocOracle : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly Lazy<DocOracle> SharedInstance = new(CreateShared, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly object _lock = new();
    private readonly Queue<string> _stderrTail = new();
    private Process? _process;
    private long _nextId;
    private bool _disposed;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The process shared by every test of the run, started on first use and killed when the host exits.</summary>
    public static DocOracle Shared => SharedInstance.Value;

    private static DocOracle CreateShared()
    {
        var oracle = new DocOracle();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => oracle.Dispose();
        return oracle;
    }

    private Process EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is { HasExited: false })
        {
            return _process;
        }

        var dir = Path.Combine(YjsOracle.RepositoryRoot, "tests", "yjs-oracle");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "yjs")))
        {
            throw new InvalidOperationException(
                "The yjs oracle's packages are not installed (tests/yjs-oracle/node_modules is missing). " +
                "Run `npm ci --prefix tests/yjs-oracle` from the repository root (Node 20), then run the tests again.");
        }

        var node = Environment.GetEnvironmentVariable("COLLAB_NODE") is { Length: > 0 } custom ? custom : "node";
        var psi = new ProcessStartInfo(node)
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
        };
        psi.ArgumentList.Add("doc-oracle.mjs");
        try
        {
            _process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Could not start `{node}` for the yjs document oracle: {e.Message}. Install Node 20 and put it on PATH " +
                "(or point COLLAB_NODE at it).", e);
        }

        var process = _process;
        var stderr = new Thread(() =>
        {
            try
            {
                while (process.StandardError.ReadLine() is { } line)
                {
                    lock (_stderrTail)
                    {
                        _stderrTail.Enqueue(line);
                        while (_stderrTail.Count > 40)
                        {
                            _stderrTail.Dequeue();
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }) { IsBackground = true, Name = "doc-oracle stderr" };
        stderr.Start();
        return process;
    }

    private string StderrTail()
    {
        lock (_stderrTail)
        {
            return _stderrTail.Count == 0 ? "" : Environment.NewLine + "doc-oracle stderr:" + Environment.NewLine + string.Join(Environment.NewLine, _stderrTail);
        }
    }

    /// <summary>Sends one request and waits for its answer; a wedged process is killed and restarted on the next call.</summary>
    public JsonElement Call(string op, JsonObject? args = null)
    {
        lock (_lock)
        {
            var process = EnsureStarted();
            var request = args is null ? new JsonObject() : (JsonObject)args.DeepClone();
            var id = ++_nextId;
            request["id"] = id;
            request["op"] = op;
            string? line;
            try
            {
                process.StandardInput.Write(request.ToJsonString());
                process.StandardInput.Write('\n');
                process.StandardInput.Flush();
                var read = process.StandardOutput.ReadLineAsync();
                if (!read.Wait(RequestTimeout))
                {
                    Kill(process);
                    throw new YjsOracleException(op, $"no answer within {RequestTimeout.TotalSeconds:0} s; the doc oracle was killed." + StderrTail());
                }

                line = read.Result;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                Kill(process);
                throw new YjsOracleException(op, "the doc oracle pipe broke: " + e.Message + StderrTail());
            }

            if (line is null)
            {
                Kill(process);
                throw new YjsOracleException(op, "the doc oracle exited" + StderrTail());
            }

            using var doc = JsonDocument.Parse(line);
            var response = doc.RootElement.Clone();
            if (response.GetProperty("id").GetInt64() != id)
            {
                Kill(process);
                throw new YjsOracleException(op, "the doc oracle answered out of order: " + line);
            }

            if (response.GetProperty("ok").ValueKind == JsonValueKind.True)
            {
                return response.GetProperty("result");
            }

            throw new YjsOracleException(op, response.GetProperty("error").GetString() ?? "");
        }
    }

    /// <summary>Runs a history script (see oracle.mjs for the format) in yjs.</summary>
    public DocRun Run(JsonObject script)
    {
        var result = Call("run", new JsonObject { ["script"] = script.DeepClone() });
        var updates = new List<DocUpdateEvent>();
        foreach (var u in result.GetProperty("updates").EnumerateArray())
        {
            updates.Add(new DocUpdateEvent(
                u.GetProperty("peer").GetInt32(),
                u.GetProperty("step").GetInt32(),
                u.GetProperty("local").GetBoolean(),
                Bytes(u.GetProperty("v1")),
                Bytes(u.GetProperty("v2"))));
        }

        var peers = new List<DocPeerState>();
        foreach (var p in result.GetProperty("peers").EnumerateArray())
        {
            peers.Add(new DocPeerState(
                p.GetProperty("client").GetUInt64(),
                Bytes(p.GetProperty("stateV1")),
                Bytes(p.GetProperty("stateV2")),
                Bytes(p.GetProperty("sv")),
                Strings(p.GetProperty("json")),
                Strings(p.GetProperty("dump"))));
        }

        return new DocRun(updates, peers, result.GetProperty("skipped").GetInt32());
    }

    private static byte[] Bytes(JsonElement e) => System.Convert.FromBase64String(e.GetString() ?? "");

    private static Dictionary<string, string> Strings(JsonElement o)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in o.EnumerateObject())
        {
            // A lone surrogate in a yjs string has no .NET string form; the raw JSON text still compares exactly.
            d[p.Name] = TryString(p.Value);
        }

        return d;
    }

    private static string TryString(JsonElement e)
    {
        try
        {
            return e.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "raw:" + e.GetRawText();
        }
    }

    private void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
        }

        if (ReferenceEquals(_process, process))
        {
            _process = null;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_process is { } p)
            {
                Kill(p);
                p.Dispose();
            }
        }
    }
}
