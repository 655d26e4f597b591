using System.CommandLine;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary><c>collab update diff IN STATEVECTOR OUT [--v2]</c>: yjs <c>diffUpdate</c> over files.</summary>
internal static class DiffCommand
{
    public static Command Create(CliIo io)
    {
        var input = UpdateArguments.Input("in", "The update to diff");
        var stateVector = UpdateArguments.Input("state-vector", "A file holding an encoded state vector (Y.encodeStateVector)");
        var output = UpdateArguments.Output("out", "Where to write the part of the update the state vector does not cover");
        var v2 = UpdateArguments.V2();
        var command = new Command("diff", "Write the part of an update that a peer with the given state vector is missing, as Y.diffUpdate does.")
        {
            input,
            stateVector,
            output,
            v2,
        };

        command.SetAction(parseResult =>
        {
            var inPath = parseResult.GetRequiredValue(input);
            var svPath = parseResult.GetRequiredValue(stateVector);
            var outPath = parseResult.GetRequiredValue(output);
            var format = UpdateArguments.Format(parseResult, v2);
            CliIo.RequireStdinAtMostOnce([inPath, svPath]);

            var update = io.ReadInput(inPath);
            UpdateArguments.RejectEmptyV1WithTrailingBytes(inPath, update, format);
            var sv = io.ReadInput(svPath);

            // Checked first and on its own, so an error names the right file. A state vector has one
            // encoding for both update formats.
            Dictionary<ulong, long> decoded;
            try
            {
                decoded = StateVector.Decode(sv);
            }
            catch (YjsFormatException e)
            {
                throw UpdateArguments.BadStateVector(svPath, e);
            }

            // Like yjs, the decoder ignores bytes after the last entry, so an update passed by mistake
            // often decodes as some state vector. yjs writes minimal varints and one entry per client,
            // so re-encoding a genuine state vector gives back exactly as many bytes.
            var canonicalLength = StateVector.Encode(decoded).Length;
            if (canonicalLength != sv.Length)
            {
                throw new CliException(ExitCodes.BadInput,
                    $"{CliIo.Describe(svPath)} is not a valid encoded state vector: its {decoded.Count} entries take " +
                    $"{canonicalLength} bytes but the file has {sv.Length}. Pass the bytes of Y.encodeStateVector " +
                    "(or of 'collab update sv'), not an update.");
            }

            byte[] diff;
            try
            {
                diff = Updates.Diff(update, sv, format);
            }
            catch (YjsFormatException e)
            {
                throw UpdateArguments.BadUpdate(inPath, format, e);
            }

            io.WriteOutput(outPath, diff);
            return ExitCodes.Ok;
        });

        return command;
    }
}
