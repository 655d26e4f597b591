using System.Net;
using Collab.Server.Tests.Infrastructure;

namespace Collab.Server.Tests.Api;

/// <summary>The same JWT as the WebSocket: read for GET, write for POST, admin for DELETE; 401 without a valid token, 403 outside its scope.</summary>
public sealed class ApiAuthTests
{
    private const string Doc = "/api/workspaces/team/documents/plan";

    private static readonly (string Method, string Path, string Needs)[] Endpoints =
    [
        ("GET", "/api/workspaces", "read"),
        ("GET", "/api/workspaces/team/documents", "read"),
        ("GET", Doc, "read"),
        ("GET", Doc + "/update", "read"),
        ("GET", Doc + "/history", "read"),
        ("GET", Doc + "/changes", "read"),
        ("GET", Doc + "/snapshots", "read"),
        ("GET", Doc + "/snapshots/1", "read"),
        ("POST", Doc + "/update", "write"),
        ("POST", Doc + "/snapshots", "write"),
        ("POST", Doc + "/snapshots/1/restore", "write"),
        ("DELETE", Doc, "admin"),
    ];

    private static readonly string[] Roles = ["read", "write", "admin"];

    private static HttpRequestMessage Request(string method, string path, string? token, bool viaQuery = false)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), viaQuery && token is not null ? path + "?token=" + Uri.EscapeDataString(token) : path);
        if (token is not null && !viaQuery)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (path.EndsWith("/update", StringComparison.Ordinal) && method == "POST")
        {
            request.Content = new ByteArrayContent(TestUpdates.TextAppend(9, 0, "z"));
        }
        else if (path.EndsWith("/snapshots", StringComparison.Ordinal) && method == "POST")
        {
            request.Content = new StringContent("""{"label":"l"}""", System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static int Rank(string role) => Array.IndexOf(Roles, role);

    [Fact]
    public async Task Every_endpoint_answers_401_without_a_valid_token_403_for_a_weaker_role_or_another_workspace_and_serves_the_right_roles()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        using var setup = new ApiClient(server.HttpUrl, TestTokens.Create("admin", "team"));
        await setup.PostUpdateAsync("team", "plan", TestUpdates.TextAppend(1, 0, "plan"));
        var created = await ApiClient.JsonAsync(await setup.PostJsonAsync(Doc + "/snapshots", """{"label":"one"}"""), HttpStatusCode.Created);
        Assert.Equal(1, created.GetProperty("id").GetInt64());
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpUrl) };

        foreach (var (method, path, needs) in Endpoints.Where(e => e.Method != "DELETE"))
        {
            var none = await http.SendAsync(Request(method, path, null));
            await ApiClient.ProblemAsync(none, 401, "token is required");
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
            await ApiClient.ProblemAsync(await http.SendAsync(Request(method, path, "not-a-jwt")), 401, "invalid");
            await ApiClient.ProblemAsync(await http.SendAsync(Request(method, path, TestTokens.Create("admin", "team", secret: "another-secret-0123456789abcdefghijklmnop"))), 401, "invalid");
            await ApiClient.ProblemAsync(await http.SendAsync(Request(method, path, TestTokens.Create("admin", "team", expires: DateTime.UtcNow.AddHours(-1)))), 401, "invalid");
            if (path != "/api/workspaces")
            {
                // a token for another workspace lists workspaces too, but only its own (Listings_show_only_what_the_token_covers)
                await ApiClient.ProblemAsync(await http.SendAsync(Request(method, path, TestTokens.Create("admin", "other"))), 403, "workspace");
            }

            if (path != "/api/workspaces" && path != "/api/workspaces/team/documents")
            {
                await ApiClient.ProblemAsync(await http.SendAsync(Request(method, path, TestTokens.Create("admin", "team", "other*"))), 403, "document");
            }

            foreach (var role in Roles)
            {
                var response = await http.SendAsync(Request(method, path, TestTokens.Create(role, "team"), viaQuery: role == "write"));
                if (Rank(role) < Rank(needs))
                {
                    await ApiClient.ProblemAsync(response, 403, $"role is {role}");
                }
                else
                {
                    Assert.True(response.IsSuccessStatusCode, $"{method} {path} with {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        await ApiClient.ProblemAsync(await http.SendAsync(Request("DELETE", Doc, null)), 401, "token is required");
        await ApiClient.ProblemAsync(await http.SendAsync(Request("DELETE", Doc, TestTokens.Create("admin", "other"))), 403, "workspace");
        await ApiClient.ProblemAsync(await http.SendAsync(Request("DELETE", Doc, TestTokens.Create("read", "team"))), 403, "admin role");
        await ApiClient.ProblemAsync(await http.SendAsync(Request("DELETE", Doc, TestTokens.Create("write", "team"))), 403, "admin role");
        Assert.NotNull(await server.Store.PeekAsync(new("team", "plan")));
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(Request("DELETE", Doc, TestTokens.Create("admin", "team")))).StatusCode);
    }

    [Fact]
    public async Task A_refused_write_stores_nothing()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpUrl) };
        await ApiClient.ProblemAsync(await http.SendAsync(Request("POST", Doc + "/update", TestTokens.Create("read", "team"))), 403, "role is read");
        await ApiClient.ProblemAsync(await http.SendAsync(Request("POST", Doc + "/update", null)), 401, "token");
        Assert.Null(await server.Store.PeekAsync(new("team", "plan")));
        Assert.Empty(server.Store.AppendBatchSizes);
    }

    [Fact]
    public async Task Listings_show_only_what_the_token_covers()
    {
        await using var server = await TestServer.StartAsync(TestTokens.AuthSettings());
        using var admin = new ApiClient(server.HttpUrl, TestTokens.Create("admin", "*"));
        foreach (var (ws, doc) in new[] { ("team", "plan"), ("team", "notes"), ("other", "x") })
        {
            await admin.PostUpdateAsync(ws, doc, TestUpdates.TextAppend(1, 0, "a"));
        }

        var all = await ApiClient.JsonAsync(await admin.GetAsync("/api/workspaces"));
        Assert.Equal(["other", "team"], all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        using var team = new ApiClient(server.HttpUrl, TestTokens.Create("read", "team"));
        var one = await ApiClient.JsonAsync(await team.GetAsync("/api/workspaces"));
        Assert.Equal(["team"], one.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        using var plans = new ApiClient(server.HttpUrl, TestTokens.Create("read", "team", "pl*"));
        var docs = await ApiClient.JsonAsync(await plans.GetAsync("/api/workspaces/team/documents"));
        Assert.Equal(["plan"], docs.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        await ApiClient.ProblemAsync(await plans.GetAsync("/api/workspaces/other/documents"), 403, "workspace 'other'");
    }

    [Fact]
    public async Task With_auth_off_everything_is_allowed_and_the_origin_is_rest()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        await api.PostUpdateAsync("open", "doc", TestUpdates.TextAppend(1, 0, "a"));
        var history = await ApiClient.JsonAsync(await api.GetAsync("/api/workspaces/open/documents/doc/history"));
        Assert.Equal("rest", history.GetProperty("items")[0].GetProperty("origin").GetString());
        var snapshot = await ApiClient.JsonAsync(await api.PostJsonAsync("/api/workspaces/open/documents/doc/snapshots", """{"label":"x"}"""), HttpStatusCode.Created);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, snapshot.GetProperty("author").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/workspaces/open/documents/doc")).StatusCode);
    }
}
