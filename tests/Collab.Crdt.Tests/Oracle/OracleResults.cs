namespace Collab.Crdt.Tests.Oracle;

/// <summary>One update event of a yjs history: what peer <see cref="Peer"/> emitted for one transaction.</summary>
/// <param name="Step">Index of the script step that ran the transaction (the final sync is one past the last).</param>
/// <param name="Local">False when the transaction applied a remote update.</param>
public sealed record OracleUpdate(int Peer, int Step, bool Local, byte[] V1, byte[] V2);

/// <summary>A peer at the end of a history: <c>encodeStateAsUpdate[V2]</c> and <c>encodeStateVector</c>.</summary>
public sealed record OraclePeer(ulong Client, byte[] StateV1, byte[] StateV2, byte[] StateVector);

/// <summary>What a history script produced in yjs.</summary>
/// <param name="Skipped">Ops that found no target of their kind and did nothing.</param>
public sealed record OracleHistory(IReadOnlyList<OracleUpdate> Updates, IReadOnlyList<OraclePeer> Peers, int Skipped);

/// <summary>yjs <c>parseUpdateMeta</c>: per client, the first clock and the clock after the last struct.</summary>
public sealed record OracleUpdateMeta(IReadOnlyDictionary<ulong, long> From, IReadOnlyDictionary<ulong, long> To);

/// <summary>yjs' reading of an update: per struct "GC", "Skip" or the Item's content kind with its flags.</summary>
public sealed record OracleUpdateDescription(IReadOnlyList<string> Structs, int DeleteRanges);
