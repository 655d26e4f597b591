using Collab.Server.Documents;
using Collab.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Collab.Server.Tests.Infrastructure;

/// <summary>A real Kestrel running Collab on 127.0.0.1 and a free port, with a test store and captured logs.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, TestStore store, CapturedLogs logs, string httpUrl)
    {
        App = app;
        Store = store;
        Logs = logs;
        HttpUrl = httpUrl;
    }

    public WebApplication App { get; }

    public TestStore Store { get; }

    public CapturedLogs Logs { get; }

    /// <summary><c>http://127.0.0.1:port</c></summary>
    public string HttpUrl { get; }

    /// <summary>The y-websocket server URL (the room is appended): <c>ws://127.0.0.1:port/ws</c>.</summary>
    public string WsUrl => "ws" + HttpUrl["http".Length..] + "/ws";

    public Uri DocumentUri(string room, string? token = null) =>
        new(WsUrl + "/" + room + (token is null ? string.Empty : "?token=" + Uri.EscapeDataString(token)));

    internal DocumentRegistry Registry => App.Services.GetRequiredService<DocumentRegistry>();

    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, TestStore? store = null)
    {
        store ??= new TestStore();
        var logs = new CapturedLogs();
        var app = CollabServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            var all = new Dictionary<string, string?>
            {
                ["Collab:Documents:IdleUnloadDelay"] = "00:00:05",
                ["Collab:Documents:ShutdownFlushTimeout"] = "00:00:05",
                // seconds per server start; StartupWarmUpTests turn it on
                ["Collab:WarmUp:Enabled"] = "false",
                // tests count the updates after which a document compacts
                ["Collab:Documents:CompactionJitter"] = "0",
            };
            foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            {
                all[k] = v;
            }

            builder.Configuration.AddInMemoryCollection(all);
            builder.Services.AddSingleton<IDocumentStore>(store);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, store, logs, url.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
