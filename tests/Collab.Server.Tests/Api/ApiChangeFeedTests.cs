using System.Diagnostics;
using System.Text.Json;
using Collab.Server.Tests.Infrastructure;
using Collab.Sync;

namespace Collab.Server.Tests.Api;

/// <summary>The long-poll change feed: every update after <c>since</c> exactly once, and a waiting request released by a new edit.</summary>
public sealed class ApiChangeFeedTests
{
    public static TheoryData<string> Backends => new() { "memory", "sqlite", "postgres" };

    private const string Doc = "/api/workspaces/feed/documents/doc";

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Successive_polls_return_every_update_after_since_exactly_once_while_clients_and_rest_write(string backend)
    {
        await using var storage = await TestBackend.CreateAsync(backend);
        await using var server = await TestServer.StartAsync(store: storage.Store);
        using var api = new ApiClient(server.HttpUrl);
        await using var client = await RawClient.ConnectAndSyncAsync(server.DocumentUri("feed/doc"));
        const int total = 60;
        var writing = Task.Run(async () =>
        {
            for (ulong i = 0; i < total; i++)
            {
                if (i % 2 == 0)
                {
                    await client.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, i / 2, "c")));
                }
                else
                {
                    await api.PostUpdateAsync("feed", "doc", TestUpdates.TextAppend(2, i / 2, "r"));
                }
            }
        });

        var seen = new List<long>();
        var origins = new HashSet<string>();
        long since = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (seen.Count < total && DateTime.UtcNow < deadline)
        {
            var response = await api.GetAsync(Doc + $"/changes?since={since}&timeout=5&limit=7");
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                await Task.Delay(20); // nothing stored yet
                continue;
            }

            var json = await ApiClient.JsonAsync(response);
            foreach (var update in json.GetProperty("updates").EnumerateArray())
            {
                seen.Add(update.GetProperty("seq").GetInt64());
                origins.Add(update.GetProperty("origin").GetString()!);
                Assert.NotEmpty(update.GetProperty("update").GetString()!);
            }

            since = json.GetProperty("lastSeq").GetInt64();
        }

        await writing;
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), seen);
        Assert.Contains("rest", origins);
        Assert.Contains(origins, o => o.StartsWith("conn:", StringComparison.Ordinal));
        var after = await ApiClient.JsonAsync(await api.GetAsync(Doc + $"/changes?since={since}"));
        Assert.Empty(after.GetProperty("updates").EnumerateArray());
        Assert.Equal(since, after.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task A_waiting_poll_is_released_by_a_new_edit_well_before_its_timeout()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        long seq = await api.PostUpdateAsync("feed", "doc", TestUpdates.TextAppend(1, 0, "a"));
        await using var client = await RawClient.ConnectAndSyncAsync(server.DocumentUri("feed/doc"));

        var watch = Stopwatch.StartNew();
        var polling = api.GetAsync(Doc + $"/changes?since={seq}&timeout=30");
        await Task.Delay(500);
        Assert.False(polling.IsCompleted, "the poll answered before anything changed");
        await client.SendAsync(TestUpdates.UpdateFrame(TestUpdates.TextAppend(1, 1, "b")));
        var json = await ApiClient.JsonAsync(await polling);
        watch.Stop();
        var update = Assert.Single(json.GetProperty("updates").EnumerateArray());
        Assert.Equal(seq + 1, update.GetProperty("seq").GetInt64());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"released after {watch.Elapsed}, the timeout was 30 s");
    }

    [Fact]
    public async Task A_poll_with_nothing_new_answers_empty_after_its_timeout()
    {
        await using var server = await TestServer.StartAsync();
        using var api = new ApiClient(server.HttpUrl);
        long seq = await api.PostUpdateAsync("feed", "doc", TestUpdates.TextAppend(1, 0, "a"));
        var watch = Stopwatch.StartNew();
        var json = await ApiClient.JsonAsync(await api.GetAsync(Doc + $"/changes?since={seq}&timeout=0.5"));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"answered after {watch.Elapsed}");
        Assert.Empty(json.GetProperty("updates").EnumerateArray());
        Assert.Equal(seq, json.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task The_feed_answers_410_when_the_updates_after_since_were_compacted_away_while_the_history_keeps_them()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:Documents:CompactionLogEntries"] = "5" });
        using var api = new ApiClient(server.HttpUrl);
        for (ulong i = 0; i < 12; i++)
        {
            await api.PostUpdateAsync("feed", "doc", TestUpdates.TextAppend(1, i, "x"));
        }

        await ApiEndpointTests.WaitUntilAsync(() => !server.Store.Compactions.IsEmpty, "a compaction");
        await ApiClient.ProblemAsync(await api.GetAsync(Doc + "/changes?since=0"), 410, "GET .../update");
        // the history keeps every entry: its metadata is not compacted
        var history = await ApiClient.JsonAsync(await api.GetAsync(Doc + "/history"));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seq").GetInt64()));
        // the v2 feed from the compaction point on still works
        var info = await server.Store.GetInfoAsync(new("feed", "doc"));
        var json = await ApiClient.JsonAsync(await api.GetAsync(Doc + $"/changes?since={info!.CompactedSeq}&format=v2"));
        Assert.Equal(12, json.GetProperty("lastSeq").GetInt64());
        foreach (var update in json.GetProperty("updates").EnumerateArray())
        {
            Crdt.Updates.Decode(System.Buffers.Text.Base64Url.DecodeFromChars(update.GetProperty("update").GetString()), Crdt.UpdateFormat.V2);
        }
    }
}
