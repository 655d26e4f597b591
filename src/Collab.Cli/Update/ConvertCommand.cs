using System.CommandLine;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary>
/// <c>collab update convert IN OUT --to v1|v2</c>: yjs <c>convertUpdateFormatV1ToV2</c> and back. The input
/// is in the other format; there are only two.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliIo io)
    {
        var input = UpdateArguments.Input("in", "The update to convert (in the format not named by --to)");
        var output = UpdateArguments.Output("out", "Where to write the converted update");
        var to = new Option<string>("--to")
        {
            Description = "The format to write: v1 or v2. The input is read in the other one.",
            Required = true,
        };
        to.AcceptOnlyFromAmong("v1", "v2");

        var command = new Command("convert", "Re-encode an update from v1 to v2 or from v2 to v1.")
        {
            input,
            output,
            to,
        };

        command.SetAction(parseResult =>
        {
            var inPath = parseResult.GetRequiredValue(input);
            var outPath = parseResult.GetRequiredValue(output);
            var target = parseResult.GetRequiredValue(to) == "v2" ? UpdateFormat.V2 : UpdateFormat.V1;
            var source = target == UpdateFormat.V2 ? UpdateFormat.V1 : UpdateFormat.V2;

            var hint = $"If it is already {UpdateArguments.Name(target)}, it needs no conversion.";
            var update = io.ReadInput(inPath);
            UpdateArguments.RejectEmptyV1WithTrailingBytes(inPath, update, source, hint);
            byte[] converted;
            try
            {
                converted = Updates.Convert(update, source, target);
            }
            catch (YjsFormatException e)
            {
                throw UpdateArguments.BadUpdate(inPath, source, Cli.OneLine(e.Message), hint);
            }

            io.WriteOutput(outPath, converted);
            return ExitCodes.Ok;
        });

        return command;
    }
}
