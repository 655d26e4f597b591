using System.CommandLine;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary><c>collab update merge OUT IN... [--v2]</c>: yjs <c>mergeUpdates</c> over files.</summary>
internal static class MergeCommand
{
    public static Command Create(CliIo io)
    {
        var output = UpdateArguments.Output("out", "Where to write the merged update");
        var inputs = new Argument<string[]>("in")
        {
            Description = "The updates to merge (at most one may be - for stdin).",
            Arity = ArgumentArity.OneOrMore,
        };
        var v2 = UpdateArguments.V2();
        var command = new Command("merge", "Merge updates into one update, as Y.mergeUpdates does.")
        {
            output,
            inputs,
            v2,
        };

        command.SetAction(parseResult =>
        {
            var outPath = parseResult.GetRequiredValue(output);
            var inPaths = parseResult.GetRequiredValue(inputs);
            var format = UpdateArguments.Format(parseResult, v2);
            CliIo.RequireStdinAtMostOnce(inPaths);

            var updates = new byte[inPaths.Length][];
            for (var i = 0; i < inPaths.Length; i++)
            {
                updates[i] = io.ReadInput(inPaths[i]);
                UpdateArguments.RejectEmptyV1WithTrailingBytes(inPaths[i], updates[i], format);
            }

            byte[] merged;
            try
            {
                merged = Updates.Merge(updates, format);
            }
            catch (YjsFormatException e)
            {
                throw Culprit(inPaths, updates, format, e);
            }

            io.WriteOutput(outPath, merged);
            return ExitCodes.Ok;
        });

        return command;
    }

    // Merge reports what was wrong but not which input; decoding each one alone finds it. This runs only
    // on the error path, so the common case reads every input once.
    private static CliException Culprit(string[] paths, byte[][] updates, UpdateFormat format, YjsFormatException mergeError)
    {
        for (var i = 0; i < updates.Length; i++)
        {
            try
            {
                Updates.Decode(updates[i], format);
            }
            catch (YjsFormatException e)
            {
                return UpdateArguments.BadUpdate(paths[i], format, e);
            }
        }

        return new CliException(ExitCodes.BadInput,
            $"the inputs decode one by one but cannot be merged: {Cli.OneLine(mergeError.Message)}");
    }
}
