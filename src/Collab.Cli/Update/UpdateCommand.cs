using System.CommandLine;

namespace Collab.Cli.Update;

/// <summary>The <c>collab update</c> group: operations on encoded updates; all but <c>json</c> work without a document.</summary>
internal static class UpdateCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("update", "Work on encoded Yjs updates without loading a document.");
        command.Subcommands.Add(InspectCommand.Create(io));
        command.Subcommands.Add(MergeCommand.Create(io));
        command.Subcommands.Add(DiffCommand.Create(io));
        command.Subcommands.Add(StateVectorCommand.Create(io));
        command.Subcommands.Add(ConvertCommand.Create(io));
        command.Subcommands.Add(JsonCommand.Create(io));
        return command;
    }
}
