using System.Security.Claims;
using System.Text;
using Collab.Server.Options;
using Collab.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Collab.Server.Auth;

/// <summary>The outcome of checking a connection's token.</summary>
internal readonly record struct AuthResult(AccessGrant? Grant, int StatusCode, string? Error)
{
    public static AuthResult Allow(AccessGrant grant) => new(grant, 200, null);

    public static AuthResult Deny(int status, string error) => new(null, status, error);
}

/// <summary>
/// Validates the HS256 JWT of a WebSocket upgrade (<c>?token=</c> or <c>Authorization: Bearer</c>). Claims:
/// <c>workspace</c> (a name or <c>*</c>), optional <c>document</c> (a pattern where <c>*</c> matches any run of
/// characters), <c>role</c> (<c>read</c>, <c>write</c> or <c>admin</c>).
/// </summary>
internal sealed class TokenValidator
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters? _parameters;

    public TokenValidator(IOptions<CollabOptions> options)
    {
        var auth = options.Value.Auth;
        Enabled = auth.Enabled;
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrEmpty(auth.Secret) || Encoding.UTF8.GetByteCount(auth.Secret) < 32)
        {
            throw new InvalidOperationException(
                "Collab:Auth:Enabled is true but Collab:Auth:Secret is missing or shorter than 32 bytes; set a long random HS256 secret (env Collab__Auth__Secret).");
        }

        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.Secret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = auth.Issuer is not null,
            ValidIssuer = auth.Issuer,
            ValidateAudience = auth.Audience is not null,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = false,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    public bool Enabled { get; }

    public async Task<AuthResult> ValidateAsync(string? token, DocumentKey key)
    {
        if (!Enabled)
        {
            return AuthResult.Allow(AccessGrant.Anonymous);
        }

        if (string.IsNullOrEmpty(token))
        {
            return AuthResult.Deny(401, "A token is required: pass a JWT as ?token= or an Authorization: Bearer header.");
        }

        var (result, parsedRole, error) = await ValidateCoreAsync(token).ConfigureAwait(false);
        if (error is not null)
        {
            return AuthResult.Deny(401, error);
        }

        var claims = result!.Claims;
        string? workspace = claims.TryGetValue("workspace", out var w) ? w as string : null;
        string? document = claims.TryGetValue("document", out var d) ? d as string : null;
        string? subject = claims.TryGetValue("sub", out var s) ? s as string : null;

        if (workspace is null || (workspace != "*" && workspace != key.Workspace))
        {
            return AuthResult.Deny(403, $"The token does not grant access to workspace '{key.Workspace}'.");
        }

        if (document is not null && !GlobMatches(document, key.Document))
        {
            return AuthResult.Deny(403, $"The token does not grant access to document '{key.Document}'.");
        }

        return AuthResult.Allow(new AccessGrant(parsedRole, subject));
    }

    /// <summary>
    /// Validates a token that is not tied to one document (the workspace hub): signature, lifetime and role.
    /// The caller checks the <c>workspace</c> claim of the returned identity against what it is asked for.
    /// </summary>
    public async Task<(ClaimsIdentity? Identity, string? Error)> ValidateIdentityAsync(string? token)
    {
        if (!Enabled)
        {
            return (new ClaimsIdentity(), null);
        }

        if (string.IsNullOrEmpty(token))
        {
            return (null, "A token is required: pass a JWT as access_token (SignalR's accessTokenFactory) or an Authorization: Bearer header.");
        }

        var (result, _, error) = await ValidateCoreAsync(token).ConfigureAwait(false);
        return error is null ? (result!.ClaimsIdentity, null) : (null, error);
    }

    // What every token must pass wherever it is used: signature, lifetime, and a known role.
    private async Task<(TokenValidationResult? Result, AccessRole Role, string? Error)> ValidateCoreAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, default, $"The token is invalid: {result.Exception?.Message ?? "validation failed"}");
        }

        AccessRole? role = (result.Claims.TryGetValue("role", out var r) ? r as string : null) switch
        {
            "read" => AccessRole.Read,
            "write" => AccessRole.Write,
            "admin" => AccessRole.Admin,
            _ => null,
        };
        return role is { } known
            ? (result, known, null)
            : (null, default, "The token has no valid role claim; expected read, write or admin.");
    }

    /// <summary>Matches <paramref name="text"/> against a pattern in which <c>*</c> stands for any run of characters.</summary>
    internal static bool GlobMatches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
