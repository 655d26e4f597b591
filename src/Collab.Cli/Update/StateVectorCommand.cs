using System.CommandLine;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary><c>collab update sv IN OUT [--v2]</c>: yjs <c>encodeStateVectorFromUpdate</c> over files.</summary>
internal static class StateVectorCommand
{
    public static Command Create(CliIo io)
    {
        var input = UpdateArguments.Input("in", "The update");
        var output = UpdateArguments.Output("out", "Where to write the encoded state vector");
        var v2 = UpdateArguments.V2();
        var command = new Command("sv", "Write the state vector an update brings a document to, as Y.encodeStateVectorFromUpdate does.")
        {
            input,
            output,
            v2,
        };

        command.SetAction(parseResult =>
        {
            var inPath = parseResult.GetRequiredValue(input);
            var outPath = parseResult.GetRequiredValue(output);
            var format = UpdateArguments.Format(parseResult, v2);

            var update = io.ReadInput(inPath);
            UpdateArguments.RejectEmptyV1WithTrailingBytes(inPath, update, format);
            byte[] stateVector;
            try
            {
                stateVector = Updates.EncodeStateVectorFromUpdate(update, format);
            }
            catch (YjsFormatException e)
            {
                throw UpdateArguments.BadUpdate(inPath, format, e);
            }

            io.WriteOutput(outPath, stateVector);
            return ExitCodes.Ok;
        });

        return command;
    }
}
