namespace Collab.Server.Options;

/// <summary>The workspace hub (<c>/hubs/workspace</c>) section: <c>Collab:Hub</c>.</summary>
public sealed class HubOptions
{
    /// <summary>At most one <c>DocumentChanged</c> per document per this interval; the last change in it is delivered at its end.</summary>
    public TimeSpan DocumentChangedInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
