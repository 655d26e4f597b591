using System.CommandLine;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary><c>collab update inspect FILE [--v2]</c>: a JSON summary of an update on stdout.</summary>
internal static class InspectCommand
{
    public static Command Create(CliIo io)
    {
        var file = UpdateArguments.Input("file", "The update to inspect");
        var v2 = UpdateArguments.V2();
        var command = new Command("inspect", "Print a JSON summary of an update: format, size, clients, struct counts by kind, delete ranges and state vector.")
        {
            file,
            v2,
        };

        command.SetAction(parseResult =>
        {
            var path = parseResult.GetRequiredValue(file);
            var format = UpdateArguments.Format(parseResult, v2);
            var update = io.ReadInput(path);
            UpdateArguments.RejectEmptyV1WithTrailingBytes(path, update, format);

            UpdateSummary summary;
            try
            {
                summary = UpdateSummary.Of(update, format);
            }
            catch (YjsFormatException e)
            {
                throw UpdateArguments.BadUpdate(path, format, e);
            }

            io.WriteOutput(CliIo.StdPath, summary.ToJson());
            return ExitCodes.Ok;
        });

        return command;
    }
}
