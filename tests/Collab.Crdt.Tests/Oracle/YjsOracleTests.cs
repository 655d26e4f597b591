using System.Text.Json.Nodes;

namespace Collab.Crdt.Tests.Oracle;

[Collection(YjsOracleCollection.Name)]
public sealed class YjsOracleTests(YjsOracleFixture fixture)
{
    private readonly YjsOracle _oracle = fixture.Oracle;

    // The empty update: no structs, empty delete set.
    private static readonly byte[] EmptyV1 = [0, 0];

    [Fact]
    public async Task Oracle_answers_ping()
    {
        Assert.True(await _oracle.PingAsync());
    }

    [Fact]
    public async Task Malformed_update_is_answered_with_an_error_and_the_oracle_keeps_serving()
    {
        var error = await Assert.ThrowsAsync<YjsOracleException>(() => _oracle.EncodeStateVectorFromUpdateAsync([0xff, 0xff, 0xff], v2: false));
        Assert.Equal("sv", error.Op);
        Assert.True(await _oracle.PingAsync());
    }

    [Fact]
    public async Task Unknown_op_is_answered_with_an_error()
    {
        var error = await Assert.ThrowsAsync<YjsOracleException>(() => _oracle.CallAsync("no-such-op"));
        Assert.Contains("unknown op", error.Error);
    }

    [Fact]
    public async Task Many_requests_in_flight_from_many_threads_get_their_own_answers()
    {
        var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var history = await _oracle.RunHistoryAsync(OneInsertScript(client: (ulong)i + 1, text: "n" + i));
            return (i, history);
        }));
        foreach (var (i, history) in await Task.WhenAll(tasks))
        {
            Assert.Equal((ulong)i + 1, history.Peers[0].Client);
            Assert.Single(history.Updates);
        }
    }

    [Fact]
    public async Task History_keeps_client_ids_above_two_to_the_32_exact()
    {
        const ulong client = (1UL << 53) - 1;
        var history = await _oracle.RunHistoryAsync(OneInsertScript(client, "héllo 😀"));
        var meta = await _oracle.ParseUpdateMetaAsync(history.Updates[0].V1, v2: false);
        Assert.Equal(0, meta.From[client]);
        Assert.Equal(8, meta.To[client]);
        Assert.Equal(history.Peers[0].StateVector, await _oracle.EncodeStateVectorFromUpdateAsync(history.Peers[0].StateV1, v2: false));
    }

    [Fact]
    public async Task Merging_nothing_but_empty_updates_gives_the_empty_update()
    {
        Assert.Equal(EmptyV1, await _oracle.MergeAsync([EmptyV1, EmptyV1], v2: false));
    }

    [Fact]
    public async Task Call_past_its_time_limit_is_answered_with_a_timeout_and_the_oracle_keeps_serving()
    {
        // Thousands of one-character transactions take yjs far longer than a millisecond.
        var script = OneInsertScript(1, "x");
        var steps = script["steps"]!.AsArray();
        for (var i = 0; i < 5000; i++)
        {
            steps.Add(steps[0]!.DeepClone());
        }

        var error = await Assert.ThrowsAsync<YjsOracleException>(() =>
            _oracle.CallAsync("history", new JsonObject { ["script"] = script }, TimeSpan.FromMilliseconds(1)));
        Assert.StartsWith("timeout", error.Error);
        Assert.True(await _oracle.PingAsync());
    }

    [Fact]
    public async Task Disposed_private_oracle_refuses_requests()
    {
        var own = YjsOracle.Start();
        Assert.True(await own.PingAsync());
        own.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => own.PingAsync());
    }

    private static JsonObject OneInsertScript(ulong client, string text) => new()
    {
        ["peers"] = new JsonArray(new JsonObject { ["client"] = client, ["gc"] = true }),
        ["steps"] = new JsonArray(new JsonObject
        {
            ["kind"] = "txn",
            ["peer"] = 0,
            ["ops"] = new JsonArray(new JsonObject { ["op"] = "textInsert", ["t"] = 0, ["pos"] = 0, ["text"] = text }),
        }),
        ["finalSync"] = false,
    };
}
