using Collab.Server.Documents;
using Collab.Server.Options;
using Collab.Server.Tests.Infrastructure;
using Collab.Storage;
using Microsoft.Extensions.Hosting;

namespace Collab.Server.Tests.Documents;

/// <summary>The start-up warm-up: it runs before the server listens, converges, and leaves nothing behind.</summary>
public sealed class StartupWarmUpTests
{
    private const int WarmedUpEvent = 5, ListeningEvent = 2;

    private static Dictionary<string, string?> WarmUpOn(string maxDuration = "00:00:02") => new()
    {
        ["Collab:WarmUp:Enabled"] = "true",
        ["Collab:WarmUp:MaxDuration"] = maxDuration,
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_server_warms_up_before_it_listens_and_stores_nothing(string backend)
    {
        await using var storage = await TestBackend.CreateAsync(backend);
        await using var server = await TestServer.StartAsync(WarmUpOn(), storage.Store);

        var events = server.Logs.Entries.Select(e => e.Event.Id).ToList();
        Assert.Contains(WarmedUpEvent, events);
        Assert.True(events.IndexOf(WarmedUpEvent) < events.IndexOf(ListeningEvent), "the warm-up finished before the server listened");
        Assert.True(server.Logs.Contains(WarmedUpEvent, "converged: True"), string.Join('\n', server.Logs.Entries.Where(e => e.Event.Id == WarmedUpEvent)));
        Assert.True(storage.Store.WarmUpRounds > 0, "the store's append path ran");

        // nothing of it is stored or loaded: the workspace is empty until a client writes
        var catalog = (IDocumentCatalog)storage.Store;
        Assert.Empty(await catalog.ListWorkspacesAsync(null, 10));
        Assert.Equal(0, server.Registry.LoadedCount);

        await using var a = await RawClient.ConnectAndSyncAsync(server.DocumentUri("acme/spec"));
        await using var b = await RawClient.ConnectAndSyncAsync(server.DocumentUri("acme/spec"));
        var update = TestUpdates.TextAppend(7, 0, "after the warm-up");
        await a.SendAsync(TestUpdates.UpdateFrame(update));
        Assert.Equal(1, await b.ReceiveUpdatesAsync(update));
        Assert.Equal(["acme"], await catalog.ListWorkspacesAsync(null, 10));
        Assert.Equal(1, (await storage.Store.LoadAsync(new DocumentKey("acme", "spec")))!.LastSeq);
    }

    [Fact]
    public async Task Turned_off_it_does_not_run()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Collab:WarmUp:Enabled"] = "false" });
        Assert.DoesNotContain(server.Logs.Entries, e => e.Event.Id == WarmedUpEvent);
        Assert.Equal(0, server.Store.WarmUpRounds);
    }

    [Theory]
    [InlineData("doc")]
    [InlineData("merged")]
    public async Task Its_clients_converge_with_either_document_state(string state)
    {
        var options = new CollabOptions { Documents = { State = state } };
        var result = await StartupWarmUp.RunAsync(options, store: null, TimeSpan.FromSeconds(1), new NoLifetime(), CancellationToken.None);

        Assert.True(result.Converged);
        Assert.True(result.Rounds > 0 && result.Edits > 0);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(6), $"took {result.Elapsed}");
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
