namespace Collab.Storage;

/// <summary>One versioned schema step. Versions start at 1, ascend without gaps and are never edited once released.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
