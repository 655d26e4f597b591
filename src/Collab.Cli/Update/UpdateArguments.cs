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
        BadUpdate(path, format, Cli.OneLine(e.Message), FormatHint(format));

    public static CliException BadUpdate(string path, UpdateFormat format, string reason, string hint) =>
        new(ExitCodes.BadInput, $"{CliIo.Describe(path)} is not a valid Yjs {Name(format)} update: {reason} {hint}");

    public static string FormatHint(UpdateFormat format) =>
        format == UpdateFormat.V1 ? "If it is a v2 update, add --v2." : "If it is a v1 update, drop --v2.";

    /// <summary>
    /// Rejects a v1 input that is the empty update followed by more bytes. yjs stops reading after the
    /// delete set, and every v2 update starts with the bytes of the empty v1 update (<c>00 00</c>), so a v2
    /// file read as v1 would otherwise decode without error as "nothing", and merge, diff and convert
    /// would quietly write an empty result.
    /// </summary>
    public static void RejectEmptyV1WithTrailingBytes(string path, byte[] update, UpdateFormat format, string? hint = null)
    {
        if (format == UpdateFormat.V1 && update.Length > 2 && update[0] == 0 && update[1] == 0)
        {
            throw BadUpdate(path, format,
                $"it reads as the empty update followed by {update.Length - 2} unread bytes, which is how a v2 update looks when read as v1.",
                hint ?? FormatHint(format));
        }
    }

    public static CliException BadStateVector(string path, YjsFormatException e) =>
        new(ExitCodes.BadInput,
            $"{CliIo.Describe(path)} is not a valid encoded state vector: {Cli.OneLine(e.Message)} " +
            "Pass the bytes of Y.encodeStateVector (or of 'collab update sv'), not an update.");
}
