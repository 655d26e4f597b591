using Collab.Server.Auth;
using Collab.Server.Documents;
using Collab.Server.Events;
using Collab.Server.Options;
using Collab.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collab.Server.Api;

/// <summary>The services every REST handler uses, resolved once.</summary>
internal sealed class ApiContext(DocumentRegistry registry, IDocumentStore store, TokenValidator tokens, IWorkspaceEvents events, IOptions<CollabOptions> options,
    ILoggerFactory loggers)
{
    public ILogger Logger { get; } = loggers.CreateLogger("Collab.Server.Api");

    public DocumentRegistry Registry { get; } = registry;

    public IDocumentStore Store { get; } = store;

    public TokenValidator Tokens { get; } = tokens;

    public IWorkspaceEvents Events { get; } = events;

    public CollabOptions Options { get; } = options.Value;

    public IDocumentCatalog Catalog => Store as IDocumentCatalog
        ?? throw new StoreFeatureMissingException($"The configured store ({Store.GetType().Name}) has no catalog (IDocumentCatalog): listings, history and the change feed need one.");

    public INamedSnapshotStore Snapshots => Store as INamedSnapshotStore
        ?? throw new StoreFeatureMissingException($"The configured store ({Store.GetType().Name}) cannot keep named snapshots (INamedSnapshotStore).");
}

/// <summary>The configured store lacks a capability an endpoint needs (answered with 501).</summary>
internal sealed class StoreFeatureMissingException(string message) : Exception(message);
