namespace Collab.Crdt.Tests.Oracle;

/// <summary>
/// Gives test classes marked <c>[Collection(YjsOracleCollection.Name)]</c> the shared oracle as a constructor
/// argument. The fixture does not own the process: <see cref="YjsOracle.Shared"/> lives for the whole run.
/// </summary>
[CollectionDefinition(Name)]
public sealed class YjsOracleCollection : ICollectionFixture<YjsOracleFixture>
{
    public const string Name = "yjs oracle";
}

public sealed class YjsOracleFixture
{
    public YjsOracle Oracle => YjsOracle.Shared;
}
