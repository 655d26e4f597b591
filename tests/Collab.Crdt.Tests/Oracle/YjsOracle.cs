using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collab.Crdt.Tests.Oracle;

/// <summary>
/// Real yjs 13.6.33 in a long-lived Node process (<c>tests/yjs-oracle/oracle.mjs</c>): the byte-compatibility
/// oracle of Collab's tests. Requests are multiplexed over one pipe and may be issued from any thread; answers
/// are matched by id, so callers can keep many requests in flight.
/// </summary>
/// <remarks>
/// Public, not internal, because xunit collection fixtures must be public and the property-test assembly shares
/// it. One process serves the whole test run through <see cref="Shared"/>; it is killed when the test host exits.
/// </remarks>
public sealed class YjsOracle : IDisposable
{
    private static readonly Lazy<YjsOracle> SharedInstance = new(CreateShared, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _writeLock = new();
    private readonly object _startLock = new();
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly ConcurrentQueue<string> _stderrTail = new();
    private readonly string _oracleDir;
    private readonly string _script;
    private long _nextId;
    private Process? _process;
    private bool _disposed;

    /// <summary>
    /// Backstop for a wedged Node process; yjs itself is held to each request's own limit (20 s unless a call says
    /// otherwise) by the oracle, which then answers with a timeout error.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    private YjsOracle(string oracleDir, string script)
    {
        _oracleDir = oracleDir;
        _script = script;
    }

    /// <summary>The process shared by every test of the run, started on first use.</summary>
    public static YjsOracle Shared => SharedInstance.Value;

    /// <summary>Starts a private oracle process running <paramref name="script"/> (same protocol); the caller disposes it.</summary>
    public static YjsOracle Start(string script = "oracle.mjs")
    {
        var oracle = new YjsOracle(FindOracleDirectory(script), script);
        oracle.EnsureStarted();
        return oracle;
    }

    /// <summary>The folder that holds <c>Collab.sln</c>, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static YjsOracle CreateShared() => StartShared("oracle.mjs");

    /// <summary>A process for the whole test run: disposed when the process exits.</summary>
    internal static YjsOracle StartShared(string script)
    {
        var oracle = Start(script);
        // A lazy static has no owner to dispose it; without this the node process would outlive a crashed host
        // until it notices that stdin closed.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => oracle.Dispose();
        return oracle;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find Collab.sln above {AppContext.BaseDirectory}; the yjs oracle runs from the repository checkout.");
    }

    private static string FindOracleDirectory(string script)
    {
        var dir = Path.Combine(RepositoryRoot, "tests", "yjs-oracle");
        if (!File.Exists(Path.Combine(dir, script)))
        {
            throw new InvalidOperationException($"The yjs oracle script is missing: {Path.Combine(dir, script)}.");
        }

        if (!Directory.Exists(Path.Combine(dir, "node_modules", "yjs")) || !Directory.Exists(Path.Combine(dir, "node_modules", "lib0")))
        {
            throw new InvalidOperationException(
                "The yjs oracle's packages are not installed (tests/yjs-oracle/node_modules is missing). " +
                "Run `npm ci --prefix tests/yjs-oracle` from the repository root (Node 20), then run the tests again.");
        }

        return dir;
    }

    private Process EnsureStarted()
    {
        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is { HasExited: false })
            {
                return _process;
            }

            var node = Environment.GetEnvironmentVariable("COLLAB_NODE") is { Length: > 0 } custom ? custom : "node";
            var psi = new ProcessStartInfo(node)
            {
                WorkingDirectory = _oracleDir,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardInputEncoding = Utf8NoBom,
                StandardOutputEncoding = Utf8NoBom,
                StandardErrorEncoding = Utf8NoBom,
            };
            psi.ArgumentList.Add(_script);

            Process process;
            try
            {
                process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null.");
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException(
                    $"Could not start `{node}` for the yjs oracle: {e.Message}. Install Node 20 and put it on PATH " +
                    "(or point COLLAB_NODE at it).", e);
            }

            _process = process;
            var stdout = new Thread(() => ReadResponses(process)) { IsBackground = true, Name = "yjs-oracle stdout" };
            var stderr = new Thread(() => ReadStderr(process)) { IsBackground = true, Name = "yjs-oracle stderr" };
            stdout.Start();
            stderr.Start();
            return process;
        }
    }

    private void ReadResponses(Process process)
    {
        try
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                long id;
                JsonElement response;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    response = doc.RootElement.Clone();
                    if (!response.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number)
                    {
                        RememberStderr("oracle answered without an id: " + Truncate(line, 500));
                        continue;
                    }

                    id = idElement.GetInt64();
                }
                catch (JsonException)
                {
                    RememberStderr("oracle wrote a non-JSON line: " + Truncate(line, 500));
                    continue;
                }

                if (_pending.TryRemove(id, out var pending))
                {
                    pending.Answer.TrySetResult(response);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe broke; the pending requests are failed below.
        }

        FailPending(process, new YjsOracleException("process", "the yjs oracle process exited" + ExitDescription(process) + StderrTail()));
    }

    private void ReadStderr(Process process)
    {
        try
        {
            while (process.StandardError.ReadLine() is { } line)
            {
                RememberStderr(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void RememberStderr(string line)
    {
        _stderrTail.Enqueue(line);
        while (_stderrTail.Count > 40)
        {
            _stderrTail.TryDequeue(out _);
        }
    }

    private string StderrTail()
    {
        var lines = _stderrTail.ToArray();
        return lines.Length == 0 ? "" : Environment.NewLine + "oracle stderr (last lines):" + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    private static string ExitDescription(Process process)
    {
        try
        {
            return process.HasExited ? $" (exit code {process.ExitCode})" : "";
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary>Fails the requests sent to <paramref name="owner"/> (all of them when null).</summary>
    private void FailPending(Process? owner, Exception error)
    {
        foreach (var (id, p) in _pending)
        {
            if ((owner is null || ReferenceEquals(p.Owner, owner)) && _pending.TryRemove(id, out var pending))
            {
                pending.Answer.TrySetException(error);
            }
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    /// <summary>Sends one request; the task completes with the <c>result</c> element or faults with <see cref="YjsOracleException"/>.</summary>
    /// <param name="yjsTimeout">How long yjs may work on it (the oracle's default is 20 s); past it, the answer is an error starting with "timeout".</param>
    public async Task<JsonElement> CallAsync(string op, JsonObject? args = null, TimeSpan? yjsTimeout = null)
    {
        var process = EnsureStarted();
        var id = Interlocked.Increment(ref _nextId);
        var request = args is null ? new JsonObject() : (JsonObject)args.DeepClone();
        request["id"] = id;
        request["op"] = op;
        if (yjsTimeout is { } limit)
        {
            request["timeoutMs"] = (long)Math.Max(1, limit.TotalMilliseconds);
        }
        var line = request.ToJsonString();

        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = new Pending(tcs, line, process);
        try
        {
            lock (_writeLock)
            {
                process.StandardInput.Write(line);
                process.StandardInput.Write('\n');
                process.StandardInput.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _pending.TryRemove(id, out _);
            throw new YjsOracleException(op, "could not write to the yjs oracle: " + e.Message + StderrTail());
        }

        JsonElement response;
        try
        {
            response = await tcs.Task.WaitAsync(RequestTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Node answers in order, so the oldest request still pending is the one it is stuck on. Restart: every
            // request behind it would time out as well.
            var stuck = _pending.OrderBy(p => p.Key).Select(p => p.Value.Line).FirstOrDefault() ?? line;
            Restart(process);
            throw new YjsOracleException(op, $"no answer within {RequestTimeout.TotalSeconds:0} s; the oracle was restarted. " +
                $"It was stuck on: {Truncate(stuck, 2000)}" + StderrTail());
        }

        if (response.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            return response.TryGetProperty("result", out var result) ? result : default;
        }

        throw new YjsOracleException(op, ErrorText(response));
    }

    private void Restart(Process hung)
    {
        lock (_startLock)
        {
            if (!ReferenceEquals(_process, hung))
            {
                return;
            }

            _process = null;
        }

        try
        {
            hung.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
        }

        // The reader thread of the killed process fails whatever is still pending.
    }

    private sealed record Pending(TaskCompletionSource<JsonElement> Answer, string Line, Process Owner);

    public async Task<bool> PingAsync() => (await CallAsync("ping").ConfigureAwait(false)).GetString() == "pong";

    /// <summary>yjs <c>mergeUpdates</c> / <c>mergeUpdatesV2</c>.</summary>
    public async Task<byte[]> MergeAsync(IReadOnlyList<byte[]> updates, bool v2, TimeSpan? timeout = null)
    {
        var array = new JsonArray();
        foreach (var u in updates)
        {
            array.Add(System.Convert.ToBase64String(u));
        }

        return Bytes(await CallAsync("merge", new JsonObject { ["updates"] = array, ["v2"] = v2 }, timeout).ConfigureAwait(false));
    }

    /// <summary>yjs <c>diffUpdate</c> / <c>diffUpdateV2</c>.</summary>
    public async Task<byte[]> DiffAsync(byte[] update, byte[] stateVector, bool v2, TimeSpan? timeout = null)
        => Bytes(await CallAsync("diff", new JsonObject
        {
            ["update"] = System.Convert.ToBase64String(update),
            ["sv"] = System.Convert.ToBase64String(stateVector),
            ["v2"] = v2,
        }, timeout).ConfigureAwait(false));

    /// <summary>yjs <c>encodeStateVectorFromUpdate</c> / <c>...V2</c>.</summary>
    public async Task<byte[]> EncodeStateVectorFromUpdateAsync(byte[] update, bool v2, TimeSpan? timeout = null)
        => Bytes(await CallAsync("sv", UpdateArgs(update, v2), timeout).ConfigureAwait(false));

    /// <summary>yjs <c>parseUpdateMeta</c> / <c>...V2</c>.</summary>
    public async Task<OracleUpdateMeta> ParseUpdateMetaAsync(byte[] update, bool v2, TimeSpan? timeout = null)
    {
        var result = await CallAsync("meta", UpdateArgs(update, v2), timeout).ConfigureAwait(false);
        return new OracleUpdateMeta(Pairs(result.GetProperty("from")), Pairs(result.GetProperty("to")));
    }

    /// <summary>yjs <c>convertUpdateFormatV1ToV2</c> (<paramref name="toV2"/>) or <c>...V2ToV1</c>.</summary>
    public async Task<byte[]> ConvertAsync(byte[] update, bool toV2, TimeSpan? timeout = null)
        => Bytes(await CallAsync("convert", new JsonObject
        {
            ["update"] = System.Convert.ToBase64String(update),
            ["to"] = toV2 ? "v2" : "v1",
        }, timeout).ConfigureAwait(false));

    /// <summary>The update read and written again by yjs' lazy struct reader and writer, in the same format.</summary>
    public async Task<byte[]> ReencodeAsync(byte[] update, bool v2, TimeSpan? timeout = null)
        => Bytes(await CallAsync("reencode", UpdateArgs(update, v2), timeout).ConfigureAwait(false));

    /// <summary>What yjs decodes from an update: one kind per struct (see oracle.mjs) and the number of delete ranges.</summary>
    public async Task<OracleUpdateDescription> DescribeAsync(byte[] update, bool v2)
    {
        var result = await CallAsync("describe", UpdateArgs(update, v2)).ConfigureAwait(false);
        var structs = result.GetProperty("structs").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        return new OracleUpdateDescription(structs, result.GetProperty("deleteRanges").GetInt32());
    }

    /// <summary>Runs a multi-peer editing script (see oracle.mjs) in real yjs.</summary>
    public async Task<OracleHistory> RunHistoryAsync(JsonObject script)
    {
        var result = await CallAsync("history", new JsonObject { ["script"] = script.DeepClone() }).ConfigureAwait(false);
        var updates = new List<OracleUpdate>();
        foreach (var u in result.GetProperty("updates").EnumerateArray())
        {
            updates.Add(new OracleUpdate(
                u.GetProperty("peer").GetInt32(),
                u.GetProperty("step").GetInt32(),
                u.GetProperty("local").GetBoolean(),
                Bytes(u.GetProperty("v1")),
                Bytes(u.GetProperty("v2"))));
        }

        var peers = new List<OraclePeer>();
        foreach (var p in result.GetProperty("peers").EnumerateArray())
        {
            peers.Add(new OraclePeer(
                p.GetProperty("client").GetUInt64(),
                Bytes(p.GetProperty("stateV1")),
                Bytes(p.GetProperty("stateV2")),
                Bytes(p.GetProperty("sv"))));
        }

        return new OracleHistory(updates, peers, result.GetProperty("skipped").GetInt32());
    }

    private static string ErrorText(JsonElement response)
    {
        if (!response.TryGetProperty("error", out var error))
        {
            return response.GetRawText();
        }

        try
        {
            return error.ValueKind == JsonValueKind.String ? error.GetString() ?? "" : error.GetRawText();
        }
        catch (InvalidOperationException)
        {
            // yjs quoted garbage from a damaged update: a lone surrogate has no .NET string form.
            return error.GetRawText();
        }
    }

    private static JsonObject UpdateArgs(byte[] update, bool v2)
        => new() { ["update"] = System.Convert.ToBase64String(update), ["v2"] = v2 };

    private static byte[] Bytes(JsonElement e) => System.Convert.FromBase64String(e.GetString() ?? "");

    private static Dictionary<ulong, long> Pairs(JsonElement array)
    {
        var map = new Dictionary<ulong, long>();
        foreach (var pair in array.EnumerateArray())
        {
            // yjs reads garbage without complaint at times (a varint past 2^53 becomes an inexact number, NaN
            // becomes null in JSON); such an answer has no counterpart in Collab's types.
            if (pair[0].ValueKind != JsonValueKind.Number || !pair[0].TryGetUInt64(out var client) ||
                pair[1].ValueKind != JsonValueKind.Number || !pair[1].TryGetInt64(out var clock))
            {
                throw new YjsOracleException("meta", "yjs answered with a client or clock that is not an integer: " + pair);
            }

            map[client] = clock;
        }

        return map;
    }

    public void Dispose()
    {
        Process? process;
        lock (_startLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            process = _process;
            _process = null;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }

        FailPending(null, new ObjectDisposedException(nameof(YjsOracle)));
    }
}
