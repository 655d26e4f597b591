namespace Collab.Crdt.Tests;

/// <summary>Finds the repository root (the folder holding Collab.sln) and the shared trace data beside it.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Collab.sln) above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>The shared data folder: COLLAB_SHARED if set, else ../shared next to the checkout.</summary>
    public static string Shared
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("COLLAB_SHARED");
            string path = env ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            return Directory.Exists(path)
                ? path
                : throw new InvalidOperationException($"Shared trace data not found at {path}; set COLLAB_SHARED.");
        }
    }

    public static string YjsUpdates => Path.Combine(Shared, "traces", "yjs-updates");

    public static byte[] ReadUpdate(string relative) => File.ReadAllBytes(Path.Combine(YjsUpdates, relative));
}
