namespace Collab.Cli;

/// <summary>
/// An error the operator can act on. <see cref="Cli.RunAsync"/> prints its message as one line on stderr
/// and exits with <see cref="ExitCode"/>; no stack trace is shown.
/// </summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
