using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Collab.Crdt.Tests.Cli;

public sealed class TokenCommandTests
{
    private const string Secret = "collab-cli-test-secret-0123456789abcdefghij";

    private static async Task<CliRun> RunWithEnvironmentAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exitCode = await Collab.Cli.Cli.RunAsync(args, input, output, error, environment: name => environment.GetValueOrDefault(name));
        return new CliRun(exitCode, output.ToArray(), error.ToString());
    }

    private static Task<CliRun> RunAsync(params string[] args) => RunWithEnvironmentAsync([], args);

    private static async Task<IDictionary<string, object>> ValidAsync(string token, string secret = Secret)
    {
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token.TrimEnd('\n'), new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return result.Claims;
    }

    [Fact]
    public async Task A_token_carries_workspace_document_role_sub_and_expiry_signed_with_the_secret()
    {
        var run = await RunAsync("token", "--secret", Secret, "--workspace", "acme", "--document", "notes-*", "--role", "admin", "--sub", "ops", "--expires", "7d");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        Assert.EndsWith("\n", run.StdoutText);
        Assert.Single(run.StdoutText.TrimEnd('\n').Split('\n'));
        var claims = await ValidAsync(run.StdoutText);
        Assert.Equal("acme", claims["workspace"]);
        Assert.Equal("notes-*", claims["document"]);
        Assert.Equal("admin", claims["role"]);
        Assert.Equal("ops", claims["sub"]);
        var expires = DateTimeOffset.FromUnixTimeSeconds(Convert.ToInt64(claims["exp"]));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task Defaults_are_every_workspace_every_document_no_subject_and_one_hour()
    {
        var run = await RunAsync("token", "--secret", Secret, "--role", "read");

        Assert.Equal(0, run.ExitCode);
        var claims = await ValidAsync(run.StdoutText);
        Assert.Equal("*", claims["workspace"]);
        Assert.Equal("read", claims["role"]);
        Assert.False(claims.ContainsKey("document"));
        Assert.False(claims.ContainsKey("sub"));
        var expires = DateTimeOffset.FromUnixTimeSeconds(Convert.ToInt64(claims["exp"]));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("90s", 90)]
    [InlineData("2h", 2 * 3600)]
    public async Task Expires_accepts_seconds_minutes_hours_and_days(string expires, int seconds)
    {
        var run = await RunAsync("token", "--secret", Secret, "--role", "write", "--expires", expires);

        Assert.Equal(0, run.ExitCode);
        var claims = await ValidAsync(run.StdoutText);
        long lifetime = Convert.ToInt64(claims["exp"]) - Convert.ToInt64(claims["iat"]);
        Assert.Equal(seconds, lifetime);
    }

    [Fact]
    public async Task The_secret_is_read_from_COLLAB_AUTH_SECRET_then_from_the_servers_variable()
    {
        var fromCli = await RunWithEnvironmentAsync(new() { ["COLLAB_AUTH_SECRET"] = Secret, ["Collab__Auth__Secret"] = "not-this-one-0123456789012345678901234" }, "token", "--role", "read");
        Assert.Equal(0, fromCli.ExitCode);
        await ValidAsync(fromCli.StdoutText);

        var fromServer = await RunWithEnvironmentAsync(new() { ["Collab__Auth__Secret"] = Secret }, "token", "--role", "read");
        Assert.Equal(0, fromServer.ExitCode);
        await ValidAsync(fromServer.StdoutText);
    }

    [Theory]
    [InlineData("no secret: pass --secret or set COLLAB_AUTH_SECRET", "token", "--role", "read")]
    [InlineData("the secret from --secret is 5 bytes; the server requires at least 32", "token", "--secret", "short", "--role", "read")]
    [InlineData("Option '--role' is required.", "token", "--secret", Secret)]
    [InlineData("Argument 'owner' not recognized. Must be one of:", "token", "--secret", Secret, "--role", "owner")]
    [InlineData("--expires must be a positive number and a unit s, m, h or d", "token", "--secret", Secret, "--role", "read", "--expires", "7x")]
    [InlineData("--expires must be a positive number and a unit s, m, h or d", "token", "--secret", Secret, "--role", "read", "--expires", "0h")]
    [InlineData("--expires must be a positive number and a unit s, m, h or d", "token", "--secret", Secret, "--role", "read", "--expires", "-1d")]
    [InlineData("--workspace must be 1 to 256 characters", "token", "--secret", Secret, "--role", "read", "--workspace", "")]
    public async Task Bad_arguments_exit_64_with_a_message_saying_what_is_wrong(string message, params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(64, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("collab: ", run.Stderr);
        Assert.Contains(message, run.Stderr);
    }
}
