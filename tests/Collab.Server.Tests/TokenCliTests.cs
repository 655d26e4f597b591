using System.Net.WebSockets;
using System.Text;
using Collab.Server.Tests.Hub;
using Collab.Server.Tests.Infrastructure;

namespace Collab.Server.Tests;

/// <summary>Tokens minted by <c>collab token</c> are accepted by a real server with the role and scope they name.</summary>
public sealed class TokenCliTests
{
    private static async Task<string> MintAsync(params string[] args)
    {
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        int exitCode = await Collab.Cli.Cli.RunAsync(["token", "--secret", TestTokens.Secret, .. args], input, output, error);
        Assert.True(exitCode == 0, error.ToString());
        return Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n');
    }

    private static async Task<int> UpgradeStatusAsync(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
        }

        return (int)socket.HttpStatusCode;
    }

    [Fact]
    public async Task A_minted_read_token_reads_but_cannot_write_and_a_write_token_writes()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        var result = await NodeScenario.RunAsync("readonly", new
        {
            url = server.WsUrl,
            room = "acme/cli",
            writeToken = await MintAsync("--workspace", "acme", "--role", "write", "--sub", "writer"),
            readToken = await MintAsync("--workspace", "acme", "--role", "read", "--sub", "reader"),
        });

        Assert.Equal("hello world", result.GetProperty("verifier").GetString());
        Assert.Empty(result.GetProperty("verifierMapKeys").EnumerateArray());
        Assert.True(result.GetProperty("denied").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task A_minted_token_is_limited_to_its_workspace_and_document_pattern()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        string notes = await MintAsync("--workspace", "acme", "--document", "notes-*", "--role", "admin");

        Assert.Equal(101, await UpgradeStatusAsync(server.DocumentUri("acme/notes-1", notes)));
        Assert.Equal(403, await UpgradeStatusAsync(server.DocumentUri("acme/plan", notes)));
        Assert.Equal(403, await UpgradeStatusAsync(server.DocumentUri("beta/notes-1", notes)));
        Assert.Equal(101, await UpgradeStatusAsync(server.DocumentUri("beta/plan", await MintAsync("--role", "read"))));
    }

    [Fact]
    public async Task A_minted_token_joins_the_workspace_hub()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        await using var hub = HubListener.Start(server.HttpUrl, await MintAsync("--workspace", "acme", "--role", "read", "--expires", "5m"), "acme", "beta");
        await hub.WaitForAsync(l => l.TryGetProperty("joined", out var j) && j.GetString() == "acme", "joining acme");
        await hub.WaitForAsync(l => l.TryGetProperty("joinError", out var j) && j.GetString() == "beta", "the refused join of beta");
    }
}
