using Collab.Crdt.Tests.Oracle;

namespace Collab.Crdt.PropertyTests;

/// <summary>
/// The shared yjs oracle for this assembly (xunit wants collection definitions in the test assembly itself).
/// Tests in the collection run one after another rather than competing for the one Node process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OracleCollection : ICollectionFixture<YjsOracleFixture>
{
    public const string Name = "yjs oracle (property tests)";
}
