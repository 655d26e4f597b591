using Collab.Server.Api;
using Collab.Server.Auth;
using Collab.Server.Documents;
using Collab.Server.Endpoints;
using Collab.Server.Hubs;
using Collab.Server.Logging;
using Collab.Server.Options;
using Collab.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collab.Server;

/// <summary>Composes the Collab server; <c>Program</c> runs it, tests start it on a free port with their own services.</summary>
public static class CollabServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Options are read once at start-up, so appsettings.json is not watched: the watcher covers the content root
        // recursively, and the default data directory (./data) is inside it, so every SQLite write woke it.
        if (!args.Any(a => a.Contains("reloadConfigOnChange", StringComparison.OrdinalIgnoreCase)))
        {
            args = [.. args, "--hostBuilder:reloadConfigOnChange=false"];
        }

        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var options = new CollabOptions();
        builder.Configuration.GetSection(CollabOptions.Section).Bind(options);
        builder.Services.Configure<CollabOptions>(builder.Configuration.GetSection(CollabOptions.Section));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.Documents.ShutdownFlushTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenValidator>();
        StorageSetup.AddCollabStorage(builder.Services, options);
        builder.Services.AddWorkspaceHub();
        builder.Services.AddSingleton<DocumentRegistry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DocumentRegistry>());
        builder.Services.AddHostedService<StartupWarmUp>(); // after storage set-up, before Kestrel listens
        builder.Services.AddCollabApi();

        var app = builder.Build();
        app.UseCollabDemo();
        app.UseWebSockets();
        app.MapCollabHealth();
        app.MapCollabWebSocket();
        app.MapCollabApi();
        app.MapWorkspaceHub();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Collab.Server");
        if (!app.Services.GetRequiredService<TokenValidator>().Enabled)
        {
            ServerLog.AuthDisabled(logger);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (string address in addresses)
            {
                ServerLog.Listening(logger, WebSocketUrl(address) + "/ws/{workspace}/{document}");
            }
        });
        return app;
    }

    /// <summary><c>http://host:port</c> → <c>ws://host:port</c> (and https → wss).</summary>
    public static string WebSocketUrl(string address) =>
        address.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "wss://" + address["https://".Length..]
        : address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "ws://" + address["http://".Length..]
        : address;
}
