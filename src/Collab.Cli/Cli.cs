using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using Collab.Cli.Token;
using Collab.Cli.Trace;
using Collab.Cli.Update;
using Collab.Crdt;

namespace Collab.Cli;

/// <summary>
/// The <c>collab</c> operator tool. <see cref="RunAsync"/> is the whole program: <c>Main</c> only passes the
/// console streams, so tests run every command in-process on memory streams.
/// </summary>
internal static class Cli
{
    private const string Prefix = "collab: ";

    public static async Task<int> RunAsync(string[] args, Stream stdin, Stream stdout, TextWriter stderr, CancellationToken cancellationToken = default,
        Func<string, string?>? environment = null)
    {
        var io = new CliIo(stdin, stdout, stderr) { Environment = environment ?? System.Environment.GetEnvironmentVariable };
        var root = CreateRootCommand(io);
        var parseResult = root.Parse(args);

        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine(Prefix + OneLine(error.Message));
            }

            stderr.WriteLine($"Run '{CommandPath(parseResult.CommandResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        // Help and version text go to stdout as UTF-8; binary results are written to the raw stream.
        await using var textOut = new StreamWriter(stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
        var configuration = new InvocationConfiguration
        {
            Output = textOut,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            stderr.WriteLine(Prefix + OneLine(e.Message));
            return e.ExitCode;
        }
        catch (YjsFormatException e)
        {
            // Commands translate format errors with the file name; this is the backstop.
            stderr.WriteLine(Prefix + "malformed input: " + OneLine(e.Message));
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            stderr.WriteLine(Prefix + "I/O error: " + OneLine(e.Message));
            return ExitCodes.Io;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine(Prefix + "cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            // No input should get here; the operator still gets one line, and the type to report.
            stderr.WriteLine(Prefix + $"internal error ({e.GetType().Name}): {OneLine(e.Message)} " +
                "This is a bug in Collab; please report it with the command line and input files.");
            return ExitCodes.InternalError;
        }
    }

    internal static RootCommand CreateRootCommand(CliIo io)
    {
        var root = new RootCommand("Operator's tool for Collab, a C# implementation of the Yjs CRDT.");
        root.Subcommands.Add(UpdateCommand.Create(io));
        root.Subcommands.Add(TraceCommand.Create(io));
        root.Subcommands.Add(TokenCommand.Create(io));
        return root;
    }

    internal static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();

    private static string CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command && command.Command is not RootCommand)
            {
                names.Add(command.Command.Name);
            }
        }

        names.Add("collab");
        names.Reverse();
        return string.Join(' ', names);
    }
}
