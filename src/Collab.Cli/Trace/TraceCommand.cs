using System.CommandLine;

namespace Collab.Cli.Trace;

/// <summary>The <c>collab trace</c> group: editing traces run against the document model.</summary>
internal static class TraceCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("trace", "Run editing traces (shared/traces/sequential) against a Collab document.");
        command.Subcommands.Add(ReplayCommand.Create(io));
        return command;
    }
}
