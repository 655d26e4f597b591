using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>HS256 tokens for the auth tests.</summary>
internal static class TestTokens
{
    public const string Secret = "collab-test-secret-0123456789abcdefghijklmnop";

    public static Dictionary<string, string?> AuthSettings() => new()
    {
        ["Collab:Auth:Enabled"] = "true",
        ["Collab:Auth:Secret"] = Secret,
    };

    public static string Create(string role, string workspace, string? document = null, string secret = Secret, DateTime? expires = null)
    {
        var claims = new Dictionary<string, object> { ["role"] = role, ["workspace"] = workspace, ["sub"] = "test-user" };
        if (document is not null)
        {
            claims["document"] = document;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)) < DateTime.UtcNow ? DateTime.UtcNow.AddHours(-2) : null,
            IssuedAt = (expires ?? DateTime.UtcNow.AddHours(1)) < DateTime.UtcNow ? DateTime.UtcNow.AddHours(-2) : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }
}
