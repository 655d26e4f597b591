using System.Net;
using Collab.Server.Tests.Infrastructure;
using Collab.Storage;

namespace Collab.Server.Tests.Api;

/// <summary>Bad input is answered with a 4xx problem whose detail says what was wrong, and nothing is stored.</summary>
public sealed class ApiBadInputTests
{
    private const string Doc = "/api/workspaces/w/documents/d";

    [Fact]
    public async Task Malformed_update_bodies_are_refused_with_400_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        byte[] good = TestUpdates.TextAppend(1, 0, "hello");
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update", good[..^3]), 400, "not a valid yjs v1 update");
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), 400, "not a valid yjs v1 update");
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update", [1, 1, 7, 0, 0x1f]), 400, "Nothing was applied");
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update?format=v2", good), 400, "not a valid yjs v2 update");
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update", []), 400, "body is empty");
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update?format=v3", good), 400, "format must be v1 or v2");
        Assert.Null(await server.Store.PeekAsync(new DocumentKey("w", "d")));
        Assert.Empty(server.Store.AppendBatchSizes);
        Assert.Null(server.Registry.Find(new DocumentKey("w", "d")));
    }

    [Fact]
    public async Task An_update_over_the_size_limit_is_refused_with_413()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Limits:MaxUpdateBytes"] = "64" });
        using var api = new ApiClient(server.HttpUrl);
        await ApiClient.ProblemAsync(await api.PostBytesAsync(Doc + "/update", TestUpdates.TextAppend(1, 0, new string('x', 100))), 413, "MaxUpdateBytes");
        Assert.Null(await server.Store.PeekAsync(new DocumentKey("w", "d")));
    }

    [Fact]
    public async Task Unknown_documents_and_snapshots_are_404_with_the_name_in_the_detail()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        foreach (var path in new[] { Doc, Doc + "/update", Doc + "/history", Doc + "/changes", Doc + "/snapshots", Doc + "/snapshots/1" })
        {
            var problem = await ApiClient.ProblemAsync(await api.GetAsync(path), 404, "'d'");
            Assert.Contains("'w'", problem.GetProperty("detail").GetString());
        }

        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", """{"label":"x"}"""), 404, "does not exist");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots/1/restore", ""), 404, "no snapshot 1");
        await ApiClient.ProblemAsync(await api.DeleteAsync(Doc), 404, "does not exist");

        await api.PostUpdateAsync("w", "d", TestUpdates.TextAppend(1, 0, "x"));
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/snapshots/42"), 404, "no snapshot 42");
        // a document open on a WebSocket but never written to does not exist either
        await using var client = await RawClient.ConnectAndSyncAsync(server.DocumentUri("w/empty"));
        await ApiClient.ProblemAsync(await api.GetAsync("/api/workspaces/w/documents/empty"), 404, "'empty'");
    }

    [Fact]
    public async Task Bad_query_parameters_are_400_with_what_was_wrong()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        await api.PostUpdateAsync("w", "d", TestUpdates.TextAppend(1, 0, "x"));
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/update?stateVector=***"), 400, "stateVector is not base64url");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/update?stateVector=_w"), 400, "not a yjs state vector");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/update?format=v9"), 400, "format must be v1 or v2");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "?types=text"), 400, "'text' has no kind");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "?types=t:string"), 400, "'string' in 't:string' is not a kind");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "?types=a:map,a:text"), 400, "named twice");
        await ApiClient.ProblemAsync(await api.GetAsync("/api/workspaces?limit=0"), 400, "limit must be a whole number from 1 to 1000");
        await ApiClient.ProblemAsync(await api.GetAsync("/api/workspaces?limit=1001"), 400, "got '1001'");
        await ApiClient.ProblemAsync(await api.GetAsync("/api/workspaces/w/documents?limit=ten"), 400, "limit");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/history?after=-1"), 400, "after must be a sequence number");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/history?limit=5000"), 400, "limit");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/changes?since=abc"), 400, "since must be a sequence number");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/changes?timeout=61"), 400, "timeout must be a number of seconds from 0 to 60");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/snapshots/abc"), 400, "snapshot id is a positive whole number");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots/0/restore", ""), 400, "positive whole number");
    }

    [Fact]
    public async Task Snapshot_bodies_without_a_label_are_400_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        await api.PostUpdateAsync("w", "d", TestUpdates.TextAppend(1, 0, "x"));
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", "{not json"), 400, "must be JSON");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", ""), 400, "must be JSON");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", """{"name":"x"}"""), 400, "needs a \"label\"");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", """{"label":"  "}"""), 400, "needs a \"label\"");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", """{"label":42}"""), 400, "needs a \"label\"");
        await ApiClient.ProblemAsync(await api.PostJsonAsync(Doc + "/snapshots", $$"""{"label":"{{new string('x', 300)}}"}"""), 400, "1 to 256");
        Assert.Empty(await server.Store.ListNamedSnapshotsAsync(new DocumentKey("w", "d")));
    }
}
