namespace Collab.Cli;

/// <summary>
/// The process' standard streams plus the rule that a path of <c>-</c> means stdin (for inputs) or stdout
/// (for outputs). Every read and write failure becomes a <see cref="CliException"/> naming the path, so the
/// commands never deal with raw I/O exceptions.
/// </summary>
internal sealed class CliIo(Stream stdin, Stream stdout, TextWriter stderr)
{
    public const string StdPath = "-";

    private const string StdinTwice = "stdin ('-') can be given as only one input; save the other inputs to files.";

    private bool _stdinTaken;

    public Stream Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    /// <summary>Environment lookups (tests pass their own instead of changing the process').</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>How a path is shown in messages: stdin and stdout get their names, files are quoted.</summary>
    public static string Describe(string path, bool output = false) =>
        path == StdPath ? (output ? "stdout" : "stdin") : $"'{path}'";

    /// <summary>
    /// Fails before anything is read when stdin is named twice: the second read would see an empty stream
    /// and report a misleading "truncated update".
    /// </summary>
    public static void RequireStdinAtMostOnce(IEnumerable<string> inputs)
    {
        var count = 0;
        foreach (var path in inputs)
        {
            if (path == StdPath && ++count > 1)
            {
                throw new CliException(ExitCodes.Usage, StdinTwice);
            }
        }
    }

    public byte[] ReadInput(string path)
    {
        if (path == StdPath)
        {
            if (_stdinTaken)
            {
                throw new CliException(ExitCodes.Usage, StdinTwice);
            }

            _stdinTaken = true;
            try
            {
                using var buffer = new MemoryStream();
                stdin.CopyTo(buffer);
                return buffer.ToArray();
            }
            catch (IOException e)
            {
                throw new CliException(ExitCodes.Io, $"cannot read stdin: {e.Message}");
            }
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            throw new CliException(ExitCodes.Io, $"cannot read {Describe(path)}: {Explain(e)}");
        }
    }

    /// <summary>
    /// Writes a whole result at once. Commands compute their result before calling this, so a malformed
    /// input never leaves a truncated or empty output file behind.
    /// </summary>
    public void WriteOutput(string path, ReadOnlySpan<byte> bytes)
    {
        if (path == StdPath)
        {
            try
            {
                Stdout.Write(bytes);
                Stdout.Flush();
                return;
            }
            catch (IOException e)
            {
                throw new CliException(ExitCodes.Io, $"cannot write stdout: {e.Message}");
            }
        }

        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            file.Write(bytes);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            throw new CliException(ExitCodes.Io, $"cannot write {Describe(path, output: true)}: {Explain(e)}");
        }
    }

    private static bool IsIoFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    // The BCL messages repeat the full path and vary by platform; these say what to check.
    private static string Explain(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied (or the path is a directory)",
        PathTooLongException => "the path is too long",
        ArgumentException or NotSupportedException => "the path is not valid",
        _ => e.Message,
    };
}
