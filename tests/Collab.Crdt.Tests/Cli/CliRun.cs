namespace Collab.Crdt.Tests.Cli;

/// <summary>One in-process run of the <c>collab</c> CLI on memory streams.</summary>
internal sealed record CliRun(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);

    public static async Task<CliRun> RunAsync(byte[]? stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin ?? []);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exitCode = await Collab.Cli.Cli.RunAsync(args, input, output, error);
        return new CliRun(exitCode, output.ToArray(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(null, args);
}
