using System.CommandLine;
using System.Globalization;
using System.Text;
using Collab.Cli.Update;
using Collab.Crdt;

namespace Collab.Cli.Trace;

/// <summary>
/// <c>collab trace replay TRACE.json.gz [--client-id N] [--out FILE] [--v2]</c>: replays a trace and prints
/// one JSON line <c>{"ops":…,"ms":…,"updateBytes":…,"length":…,"ok":…}</c>.
/// </summary>
internal static class ReplayCommand
{
    // yjs client ids are JavaScript numbers that lib0 writes as varuints: at most 2^53 - 1.
    private const ulong MaxClientId = (1UL << 53) - 1;

    public static Command Create(CliIo io)
    {
        var trace = new Argument<string>("trace")
        {
            Description = "A gzipped josephg editing trace, e.g. ../shared/traces/sequential/automerge-paper.json.gz.",
        };
        var clientId = new Option<ulong?>("--client-id")
        {
            Description = "The document's client id (default: random, as yjs). With 1, automerge-paper encodes to the bytes of shared/traces/yjs-updates/b4-replay.*.client1.",
        };
        clientId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<ulong?>() is > MaxClientId)
            {
                result.AddError($"--client-id must be at most {MaxClientId} (2^53 - 1), the largest client id yjs can encode.");
            }
        });
        var output = new Option<string>("--out")
        {
            Description = "Write the final document (encodeStateAsUpdate) to this file, or - for stdout (the JSON line then goes to stderr).",
        };
        var v2 = new Option<bool>("--v2")
        {
            Description = "Use update format v2 for the per-transaction updates and for --out.",
        };
        var command = new Command("replay",
            "Replay an editing trace into a fresh document, one transaction per trace transaction, with an update " +
            "listener; print {\"ops\",\"ms\",\"updateBytes\",\"length\",\"ok\"} as one JSON line. " +
            "ops = patches applied, ms = the replay alone (not loading), updateBytes = the sum of the per-transaction " +
            "updates, length = the final text length, ok = the final text equals the trace's endContent.")
        {
            trace,
            clientId,
            output,
            v2,
        };

        command.SetAction(parseResult =>
        {
            var path = parseResult.GetRequiredValue(trace);
            var outPath = parseResult.GetValue(output);
            var format = UpdateArguments.Format(parseResult, v2);

            var loaded = EditingTrace.Load(path);
            var replay = TraceReplay.Run(loaded, parseResult.GetValue(clientId), format);
            var text = replay.Doc.GetText("text");
            bool ok = text.ToString() == loaded.EndContent;

            var line = new StringBuilder()
                .Append("{\"ops\":").Append(loaded.PatchCount.ToString(CultureInfo.InvariantCulture))
                .Append(",\"ms\":").Append(Math.Round(replay.Elapsed.TotalMilliseconds, 3).ToString("R", CultureInfo.InvariantCulture))
                .Append(",\"updateBytes\":").Append(replay.UpdateBytes.ToString(CultureInfo.InvariantCulture))
                .Append(",\"length\":").Append(text.Length.ToString(CultureInfo.InvariantCulture))
                .Append(",\"ok\":").Append(ok ? "true" : "false")
                .Append("}\n")
                .ToString();

            if (outPath is not null)
            {
                io.WriteOutput(outPath, replay.Doc.EncodeStateAsUpdate(format: format));
            }

            if (outPath == CliIo.StdPath)
            {
                io.Stderr.Write(line);
            }
            else
            {
                io.WriteOutput(CliIo.StdPath, Encoding.UTF8.GetBytes(line));
            }

            if (ok)
            {
                return ExitCodes.Ok;
            }

            // A well-formed trace that replays to the wrong text is a bug in Collab, not in the input.
            io.Stderr.WriteLine("collab: the replay did not reach the trace's endContent (ok=false). " +
                "This is a bug in Collab; please report it with the trace file.");
            return ExitCodes.InternalError;
        });

        return command;
    }
}
