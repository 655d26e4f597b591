using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collab.Crdt.Tests.Oracle;
using Xunit.Sdk;

namespace Collab.Crdt.PropertyTests.Fuzz;

/// <summary>
/// Feeds one untrusted input to every Collab decoder. Each call must return a value or throw
/// <see cref="YjsFormatException"/>; any other exception, a call slower than <see cref="SlowCall"/> or an input that
/// does not finish within <see cref="Hang"/> fails. Failures are saved under <c>repros/fuzz/</c> with the input.
/// The time limits are loose on purpose (CI machines are shared and slow); they are there to catch hangs and
/// blow-ups, not to measure speed.
/// </summary>
internal static class DecoderHarness
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>2 s per call, plus 4 s per MB for the real traces (a 1 MB update is a fair amount of work in Debug).</summary>
    public static TimeSpan SlowCall(int inputLength) => TimeSpan.FromSeconds(2 + (4.0 * inputLength / (1024 * 1024)));

    // A small valid update (yjs 13.6.33; client 2^32+5; text, map, binary, nested type, a delete) to pair inputs with.
    public static readonly byte[] PartnerV1 = System.Convert.FromBase64String(
        "AQaFgICAEAAEAQF0AWiBhYCAgBAAAoSFgICAEAIGbG/wn5iAKAEBbQFrAXYBAWF1A30BfEAgAAB3AXgDAQFhAgECh4WAgIAQCAEBhYCAgBABAQI=");

    public static readonly byte[] PartnerV2 = System.Convert.FromBase64String(
        "AAAGxYCAgCACAwAEDAALBACBAIQAKAADAIcRC3RobG/wn5iAbWthQQAEQQEBAQEBAgIBAQYAdgEBYXUDfQF8QCAAAHcBeAIBAgGFgICAEAEBAQ==");

    private static readonly (string Name, Func<byte[], object> Call)[] Decoders =
    [
        ("Decode v1", x => Updates.Decode(x, UpdateFormat.V1)),
        ("Decode v2", x => Updates.Decode(x, UpdateFormat.V2)),
        ("Decode+Encode v1", x => Updates.Encode(Updates.Decode(x, UpdateFormat.V1), UpdateFormat.V1)),
        ("Decode+Encode v2", x => Updates.Encode(Updates.Decode(x, UpdateFormat.V2), UpdateFormat.V2)),
        ("Decode v1+Encode v2", x => Updates.Encode(Updates.Decode(x, UpdateFormat.V1), UpdateFormat.V2)),
        ("Merge [x] v1", x => Updates.Merge([x], UpdateFormat.V1)),
        ("Merge [x] v2", x => Updates.Merge([x], UpdateFormat.V2)),
        ("Merge [x, partner] v1", x => Updates.Merge([x, PartnerV1], UpdateFormat.V1)),
        ("Merge [partner, x] v2", x => Updates.Merge([PartnerV2, x], UpdateFormat.V2)),
        ("Merge [x, x] v1", x => Updates.Merge([x, x], UpdateFormat.V1)),
        ("Merge [x, x] v2", x => Updates.Merge([x, x], UpdateFormat.V2)),
        ("Diff x by empty sv v1", x => Updates.Diff(x, [0], UpdateFormat.V1)),
        ("Diff x by empty sv v2", x => Updates.Diff(x, [0], UpdateFormat.V2)),
        ("Diff x by partner sv v1", x => Updates.Diff(x, [1, 0x85, 0x80, 0x80, 0x80, 0x10, 3], UpdateFormat.V1)),
        ("Diff partner by sv x v1", x => Updates.Diff(PartnerV1, x, UpdateFormat.V1)),
        ("Diff partner by sv x v2", x => Updates.Diff(PartnerV2, x, UpdateFormat.V2)),
        ("EncodeStateVectorFromUpdate v1", x => Updates.EncodeStateVectorFromUpdate(x, UpdateFormat.V1)),
        ("EncodeStateVectorFromUpdate v2", x => Updates.EncodeStateVectorFromUpdate(x, UpdateFormat.V2)),
        ("ParseUpdateMeta v1", x => Updates.ParseUpdateMeta(x, UpdateFormat.V1)),
        ("ParseUpdateMeta v2", x => Updates.ParseUpdateMeta(x, UpdateFormat.V2)),
        ("Convert v1->v2", x => Updates.Convert(x, UpdateFormat.V1, UpdateFormat.V2)),
        ("Convert v2->v1", x => Updates.Convert(x, UpdateFormat.V2, UpdateFormat.V1)),
        ("StateVector.Decode", x => StateVector.Decode(x)),
    ];

    public static string FailureDirectory => Path.Combine(ReproStore.Directory, "fuzz");

    /// <summary>Decoder calls so far, across tests, that returned a value (coverage: mutants that still decode).</summary>
    public static long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Decoder calls so far, across tests, that threw <see cref="YjsFormatException"/>.</summary>
    public static long Rejected => Interlocked.Read(ref _rejected);

    private static long _accepted;
    private static long _rejected;

    /// <summary>Runs every decoder on <paramref name="input"/>; throws describing every misbehaving call.</summary>
    public static void Check(byte[] input, string origin)
    {
        var run = Task.Run(() => RunAll(input));
        if (!run.Wait(Hang))
        {
            var path = Save(input, origin, "hang", $"no result within {Hang.TotalSeconds:0} s");
            throw new XunitException($"A decoder hangs on input {Describe(input)} from {origin} (saved as {path}).");
        }

        var failures = run.Result;
        if (failures.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"{failures.Count} decoder call(s) misbehave on input {Describe(input)} from {origin}:\n");
        foreach (var (decoder, problem) in failures)
        {
            var path = Save(input, origin, decoder, problem);
            message.Append("- ").Append(decoder).Append(": ").Append(problem).Append(" (saved as ").Append(path).Append(")\n");
        }

        throw new XunitException(message.ToString());
    }

    private static List<(string Decoder, string Problem)> RunAll(byte[] input)
    {
        var failures = new List<(string, string)>();
        foreach (var (name, call) in Decoders)
        {
            // A decoder that mutated its input would corrupt the following calls.
            var copy = (byte[])input.Clone();
            var watch = Stopwatch.StartNew();
            try
            {
                call(copy);
                Interlocked.Increment(ref _accepted);
            }
            catch (YjsFormatException)
            {
                Interlocked.Increment(ref _rejected);
            }
            catch (Exception e)
            {
                failures.Add((name, $"{e.GetType().FullName}: {e.Message} at {FirstFrame(e)}"));
            }

            watch.Stop();
            var limit = SlowCall(input.Length);
            if (watch.Elapsed > limit)
            {
                failures.Add((name, $"took {watch.Elapsed.TotalMilliseconds:0} ms (limit {limit.TotalMilliseconds:0} ms)"));
            }
        }

        return failures;
    }

    private static string FirstFrame(Exception e)
    {
        var trace = e.StackTrace ?? "";
        var line = trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "?";
        return line.StartsWith("at ", StringComparison.Ordinal) ? line[3..] : line;
    }

    private static string Describe(byte[] input)
        => input.Length <= 512
            ? $"({input.Length} bytes) {System.Convert.ToBase64String(input)}"
            : $"({input.Length} bytes, sha256 {System.Convert.ToHexString(SHA256.HashData(input))[..16]})";

    private static string Save(byte[] input, string origin, string decoder, string problem)
    {
        var hash = System.Convert.ToHexString(SHA256.HashData(input)).Substring(0, 12).ToLowerInvariant();
        var slug = new string(decoder.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray());
        var path = Path.Combine(FailureDirectory, $"{slug}-{hash}.json");
        var json = new JsonObject
        {
            ["decoder"] = decoder,
            ["problem"] = problem,
            ["origin"] = origin,
            ["input"] = System.Convert.ToBase64String(input),
        };
        lock (Decoders)
        {
            Directory.CreateDirectory(FailureDirectory);
            File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        return path;
    }

    /// <summary>Inputs saved by earlier failures, for replay.</summary>
    public static IEnumerable<(string Path, byte[] Input)> Saved()
    {
        if (!Directory.Exists(FailureDirectory))
        {
            yield break;
        }

        foreach (var path in Directory.GetFiles(FailureDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            yield return (path, System.Convert.FromBase64String((string)json["input"]!));
        }
    }
}
