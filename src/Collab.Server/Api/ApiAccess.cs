using Collab.Server.Auth;
using Collab.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Collab.Server.Api;

/// <summary>What a REST caller may see: granted (with the token's subject and its scope) or a 401/403 problem.</summary>
internal sealed record ApiCaller(AccessGrant Grant, string? Workspace, string? DocumentPattern)
{
    public string? Subject => Grant.Subject;

    /// <summary>Whether the token's <c>document</c> pattern (if any) covers <paramref name="document"/>.</summary>
    public bool Covers(string document) => DocumentPattern is null || TokenValidator.GlobMatches(DocumentPattern, document);

    /// <summary>Whether the token's workspace claim covers <paramref name="workspace"/>; true for <c>*</c> and with auth off.</summary>
    public bool CoversWorkspace(string workspace) => Workspace is null or "*" || Workspace == workspace;
}

/// <summary>
/// Checks the same HS256 JWT as the WebSocket (<c>Authorization: Bearer</c> or <c>?token=</c>) for a REST call:
/// read for GET, write for POST, admin for DELETE. 401 for a missing or invalid token, 403 for the wrong role or scope.
/// </summary>
internal static class ApiAccess
{
    /// <summary>The document a request names, checked: a bad name or a missing right is the problem to answer with.</summary>
    public static async Task<(DocumentKey Key, ApiCaller? Caller, IResult? Problem)> ForDocumentAsync(
        HttpContext context, TokenValidator tokens, string ws, string doc, AccessRole needed)
    {
        var key = new DocumentKey(ws, doc);
        if (DocumentEndpoints.Validate(ws, doc) is { } bad)
        {
            return (key, null, bad);
        }

        var (caller, problem) = await ForDocumentAsync(context, tokens, key, needed).ConfigureAwait(false);
        return (key, caller, problem);
    }

    public static async Task<(ApiCaller? Caller, IResult? Problem)> ForDocumentAsync(HttpContext context, TokenValidator tokens, DocumentKey key, AccessRole needed)
    {
        if (!tokens.Enabled)
        {
            return (new ApiCaller(AccessGrant.Anonymous, null, null), null);
        }

        string? token = TokenOf(context);
        var auth = await tokens.ValidateAsync(token, key).ConfigureAwait(false);
        return Decide(context, auth, needed, token);
    }

    /// <summary>
    /// For workspace-wide listings: validates the token against its own scope (its workspace, and its document pattern
    /// as the name, which a glob always matches), so signature, lifetime and role are checked by the one validator; the
    /// caller then filters the listing by <see cref="ApiCaller.CoversWorkspace"/> and <see cref="ApiCaller.Covers"/>.
    /// </summary>
    public static async Task<(ApiCaller? Caller, IResult? Problem)> ForListingAsync(HttpContext context, TokenValidator tokens, string? workspace)
    {
        if (!tokens.Enabled)
        {
            return (new ApiCaller(AccessGrant.Anonymous, null, null), null);
        }

        string? token = TokenOf(context);
        var (claimWorkspace, claimDocument) = PeekScope(token);
        string probeWorkspace = workspace ?? (claimWorkspace is null or "*" ? "_" : claimWorkspace);
        var auth = await tokens.ValidateAsync(token, new DocumentKey(probeWorkspace, claimDocument ?? "_")).ConfigureAwait(false);
        return Decide(context, auth, AccessRole.Read, token);
    }

    private static (ApiCaller?, IResult?) Decide(HttpContext context, AuthResult auth, AccessRole needed, string? token)
    {
        if (auth.Grant is null)
        {
            return (null, auth.StatusCode == 401
                ? ApiProblems.Unauthorized(context, auth.Error!)
                : ApiProblems.Problem(auth.StatusCode, "Forbidden", auth.Error!));
        }

        if (auth.Grant.Role < needed)
        {
            string what = needed switch
            {
                AccessRole.Admin => "deleting a document needs the admin role",
                AccessRole.Write => "changing a document (updates, snapshots, restores) needs the write or admin role",
                _ => "reading needs a role",
            };
            return (null, ApiProblems.Problem(403, "Forbidden", $"The token's role is {auth.Grant.Role.ToString().ToLowerInvariant()}: {what}."));
        }

        var (workspace, document) = PeekScope(token);
        return (new ApiCaller(auth.Grant, workspace, document), null);
    }

    private static string? TokenOf(HttpContext context)
    {
        if (context.Request.Headers.Authorization.FirstOrDefault() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return context.Request.Query["token"].FirstOrDefault();
    }

    /// <summary>The workspace and document claims of a token, read without validating it (callers validate it too).</summary>
    private static (string? Workspace, string? Document) PeekScope(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }

        try
        {
            var jwt = new JsonWebToken(token);
            string? workspace = jwt.TryGetPayloadValue<string>("workspace", out var w) ? w : null;
            string? document = jwt.TryGetPayloadValue<string>("document", out var d) ? d : null;
            return (workspace, document);
        }
        catch (ArgumentException)
        {
            return (null, null); // malformed: the validator answers 401
        }
    }
}
