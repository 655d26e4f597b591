using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Collab.Cli.Token;

/// <summary>
/// <c>collab token --secret S [--workspace W|*] [--document PATTERN] --role read|write|admin [--sub NAME] [--expires 1h]</c>:
/// mints the HS256 JWT the server checks on <c>/ws</c>, <c>/api</c> and <c>/hubs/workspace</c> (claims
/// <c>workspace</c>, <c>document</c>, <c>role</c>, <c>sub</c>, <c>exp</c>) and prints it on one line.
/// </summary>
internal static class TokenCommand
{
    /// <summary>Read when <c>--secret</c> is not given, so the secret need not appear in shell history or <c>ps</c>.</summary>
    public const string SecretVariable = "COLLAB_AUTH_SECRET";

    /// <summary>The variable the server itself reads its secret from (configuration key <c>Collab:Auth:Secret</c>).</summary>
    public const string ServerSecretVariable = "Collab__Auth__Secret";

    // the server refuses to start with a shorter secret, so a token signed with one could never be accepted
    private const int MinSecretBytes = 32;

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    public static Command Create(CliIo io)
    {
        var secret = new Option<string>("--secret")
        {
            Description = $"The HS256 secret the server is configured with (Collab:Auth:Secret, at least {MinSecretBytes} bytes). " +
                $"Default: the {SecretVariable} environment variable, then {ServerSecretVariable}.",
        };
        var workspace = new Option<string>("--workspace")
        {
            Description = "The workspace the token grants, or * for every workspace.",
            DefaultValueFactory = _ => "*",
        };
        workspace.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { Length: 0 or > 256 })
            {
                result.AddError("--workspace must be 1 to 256 characters (a workspace name, or * for all).");
            }
        });
        var document = new Option<string>("--document")
        {
            Description = "Limit the token to documents matching this pattern (* matches any run of characters); default: every document.",
        };
        var role = new Option<string>("--role")
        {
            Description = "read (receive and GET), write (also edit, POST updates, snapshots and restores) or admin (also DELETE).",
            Required = true,
        };
        role.AcceptOnlyFromAmong("read", "write", "admin");
        var subject = new Option<string>("--sub")
        {
            Description = "Who the token is for: recorded as the origin of edits and the author of snapshots.",
        };
        var expires = new Option<string>("--expires")
        {
            Description = "Lifetime: a number and a unit, s, m, h or d (30m, 1h, 7d).",
            DefaultValueFactory = _ => "1h",
        };
        expires.Validators.Add(result =>
        {
            if (!TryParseLifetime(result.GetValueOrDefault<string>() ?? string.Empty, out _))
            {
                result.AddError($"--expires must be a positive number and a unit s, m, h or d (e.g. 30m, 1h, 7d) of at most {MaxLifetime.TotalDays:0} days; got '{result.GetValueOrDefault<string>()}'.");
            }
        });
        var issuer = new Option<string>("--issuer")
        {
            Description = "The iss claim, when the server is configured with Collab:Auth:Issuer.",
        };
        var audience = new Option<string>("--audience")
        {
            Description = "The aud claim, when the server is configured with Collab:Auth:Audience.",
        };

        var command = new Command("token",
            "Mint a JWT for the Collab server (WebSocket, REST API and workspace hub) and print it. " +
            $"The secret comes from --secret, or the {SecretVariable} (or {ServerSecretVariable}) environment variable.")
        {
            secret,
            workspace,
            document,
            role,
            subject,
            expires,
            issuer,
            audience,
        };

        command.SetAction(parseResult =>
        {
            string key = SecretFrom(parseResult.GetValue(secret), io);
            TryParseLifetime(parseResult.GetRequiredValue(expires), out var lifetime);
            var claims = new Dictionary<string, object>
            {
                ["workspace"] = parseResult.GetRequiredValue(workspace),
                ["role"] = parseResult.GetRequiredValue(role),
            };
            if (parseResult.GetValue(document) is { } pattern)
            {
                claims["document"] = pattern;
            }

            if (parseResult.GetValue(subject) is { } sub)
            {
                claims["sub"] = sub;
            }

            var now = DateTime.UtcNow;
            string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Claims = claims,
                IssuedAt = now,
                NotBefore = now,
                Expires = now + lifetime,
                Issuer = parseResult.GetValue(issuer),
                Audience = parseResult.GetValue(audience),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            });
            io.WriteOutput(CliIo.StdPath, Encoding.UTF8.GetBytes(token + "\n"));
            return ExitCodes.Ok;
        });

        return command;
    }

    private static string SecretFrom(string? option, CliIo io)
    {
        string? key = option;
        string source = "--secret";
        if (string.IsNullOrEmpty(key))
        {
            key = io.Environment(SecretVariable);
            source = SecretVariable;
        }

        if (string.IsNullOrEmpty(key))
        {
            key = io.Environment(ServerSecretVariable);
            source = ServerSecretVariable;
        }

        if (string.IsNullOrEmpty(key))
        {
            throw new CliException(ExitCodes.Usage,
                $"no secret: pass --secret or set {SecretVariable} to the server's Collab:Auth:Secret.");
        }

        int bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes < MinSecretBytes)
        {
            throw new CliException(ExitCodes.Usage,
                $"the secret from {source} is {bytes} bytes; the server requires at least {MinSecretBytes}, so it could never accept this token.");
        }

        return key;
    }

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c>.</summary>
    internal static bool TryParseLifetime(string text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (text.Length < 2
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount)
            || amount <= 0 || amount > (long)MaxLifetime.TotalSeconds)
        {
            return false;
        }

        lifetime = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.Zero,
        };
        return lifetime > TimeSpan.Zero && lifetime <= MaxLifetime;
    }
}
