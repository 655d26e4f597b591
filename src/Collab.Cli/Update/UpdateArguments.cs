using System.CommandLine;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary>
/// The arguments and options the update commands share, and the translation of a decoder's
/// <see cref="YjsFormatException"/> into a message that names the file and suggests the likely fix.
/// </summary>
internal static class UpdateArguments
{
    public static Argument<string> Input(string name, string what) =>
        new(name) { Description = $"{what}, or - for stdin." };

    public static Argument<string> Output(string name, string what) =>
        new(name) { Description = $"{what}, or - for stdout." };

    public static Option<bool> V2() =>
        new("--v2") { Description = "Read and write Yjs update format v2 (encodeStateAsUpdateV2) instead of v1." };

    public static UpdateFormat Format(ParseResult parseResult, Option<bool> v2) =>
        parseResult.GetValue(v2) ? UpdateFormat.V2 : UpdateFormat.V1;

    public static string Name(UpdateFormat format) => format == UpdateFormat.V2 ? "v2" : "v1";

    /// <summary>A v2 file read as v1 (or the reverse) fails with some low-level reason; say what to try.</summary>
    public static CliException BadUpdate(string path, UpdateFormat format, YjsFormatException e) =>
        new(ExitCodes.BadInput,
            $"{CliIo.Describe(path)} is not a valid Yjs {Name(format)} update: {Cli.OneLine(e.Message)} " +
            (format == UpdateFormat.V1 ? "If it is a v2 update, add --v2." : "If it is a v1 update, drop --v2."));

    public static CliException BadStateVector(string path, YjsFormatException e) =>
        new(ExitCodes.BadInput,
            $"{CliIo.Describe(path)} is not a valid encoded state vector: {Cli.OneLine(e.Message)} " +
            "Pass the bytes of Y.encodeStateVector (or of 'collab update sv'), not an update.");
}
