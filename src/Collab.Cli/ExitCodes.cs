namespace Collab.Cli;

/// <summary>
/// The process exit codes. Scripts branch on them, so they never change meaning: 1 and 2 separate "the
/// file could not be read or written" from "the file was read but is not what the command expects".
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A file could not be read or written (missing, permissions, disk full).</summary>
    public const int Io = 1;

    /// <summary>An input was read but is malformed: not a Yjs update or state vector of the stated format.</summary>
    public const int BadInput = 2;

    /// <summary>The command line itself is wrong (sysexits <c>EX_USAGE</c>).</summary>
    public const int Usage = 64;

    /// <summary>A bug in Collab: an exception no input should cause (sysexits <c>EX_SOFTWARE</c>).</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
