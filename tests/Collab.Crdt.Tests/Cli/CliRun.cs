
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

/// <summary>The real Yjs updates in <c>shared/traces/yjs-updates</c>, next to the repository root.</summary>
internal static class YjsUpdateFiles
{
    public const string B4ReplayV1 = "b4-replay.yjs13.6.33.client1.v1.bin";
    public const string B4ReplayV2 = "b4-replay.yjs13.6.33.client1.v2.bin";
    public const string B4UpdateV1 = "b4-update.v1.bin";
    public const string S1V2 = "egwalker/S1.v2.yjs";
    public const string C1V2 = "egwalker/C1.v2.yjs";

    private static readonly Lazy<string> Folder = new(FindFolder);

    public static string PathOf(string name) => Path.Combine(Folder.Value, name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "traces", "yjs-updates"));
            }
        }

        throw new InvalidOperationException("Collab.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A scratch folder per test, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "collab-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string PathOf(string name) => Path.Combine(Root, name);

    public string Write(string name, byte[] bytes)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
