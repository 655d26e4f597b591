namespace Collab.Crdt.Tests.Cli;

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
