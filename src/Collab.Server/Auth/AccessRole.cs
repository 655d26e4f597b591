namespace Collab.Server.Auth;

/// <summary>What a connection may do: <c>read</c> receives everything, <c>write</c> and <c>admin</c> may also change documents.</summary>
internal enum AccessRole
{
    Read,
    Write,
    Admin,
}

/// <summary>The access a connection was granted for one document.</summary>
internal sealed record AccessGrant(AccessRole Role, string? Subject)
{
    public static AccessGrant Anonymous { get; } = new(AccessRole.Admin, null);

    public bool CanWrite => Role != AccessRole.Read;
}
