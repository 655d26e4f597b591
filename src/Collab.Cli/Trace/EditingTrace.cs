using System.IO.Compression;
using System.Text.Json;

namespace Collab.Cli.Trace;

/// <summary>
/// A josephg editing trace (<c>shared/traces/sequential/*.json.gz</c>): transactions of
/// <c>[pos, numDeleted, inserted]</c> patches, each a splice that deletes and then inserts, plus the
/// <c>endContent</c> a replay must reach. Patches are held in flat arrays so a replay reads no JSON.
/// </summary>
internal sealed class EditingTrace
{
    private EditingTrace(string endContent, int[] txnStarts, int[] positions, int[] deleted, string[] inserted)
    {
        EndContent = endContent;
        TxnStarts = txnStarts;
        Positions = positions;
        Deleted = deleted;
        Inserted = inserted;
    }

    public string EndContent { get; }

    /// <summary>The index of each transaction's first patch, plus one final entry equal to the patch count.</summary>
    public int[] TxnStarts { get; }

    public int[] Positions { get; }

    public int[] Deleted { get; }

    public string[] Inserted { get; }

    public int TxnCount => TxnStarts.Length - 1;

    public int PatchCount => Positions.Length;

    /// <summary>Reads a gzipped trace; a missing file or a file of another shape becomes a <see cref="CliException"/>.</summary>
    public static EditingTrace Load(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var json = JsonDocument.Parse(gzip);
            return FromJson(path, json.RootElement);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Io, $"cannot read {CliIo.Describe(path)}: {(e is UnauthorizedAccessException ? "permission denied (or the path is a directory)" : "no such file")}");
        }
        catch (InvalidDataException)
        {
            throw Malformed(path, "it is not gzip data. Pass a .json.gz file from shared/traces/sequential.");
        }
        catch (JsonException e)
        {
            throw Malformed(path, $"the JSON inside is broken ({Cli.OneLine(e.Message)}).");
        }
    }

    private static EditingTrace FromJson(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("endContent", out var end) || end.ValueKind != JsonValueKind.String ||
            !root.TryGetProperty("txns", out var txns) || txns.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(path, "expected an object with \"endContent\" (a string) and \"txns\" (an array).");
        }

        if (root.TryGetProperty("startContent", out var start) && start.ValueKind == JsonValueKind.String && start.GetString()!.Length > 0)
        {
            throw Malformed(path, "its startContent is not empty; only traces that start from an empty document can be replayed.");
        }

        var txnStarts = new List<int>(txns.GetArrayLength() + 1);
        var positions = new List<int>();
        var deleted = new List<int>();
        var inserted = new List<string>();
        int txnIndex = 0;
        foreach (var txn in txns.EnumerateArray())
        {
            if (txn.ValueKind != JsonValueKind.Object || !txn.TryGetProperty("patches", out var patches) || patches.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(path, $"txns[{txnIndex}] has no \"patches\" array.");
            }

            txnStarts.Add(positions.Count);
            int patchIndex = 0;
            foreach (var patch in patches.EnumerateArray())
            {
                if (patch.ValueKind != JsonValueKind.Array || patch.GetArrayLength() != 3 ||
                    !patch[0].TryGetInt32(out int pos) || pos < 0 ||
                    !patch[1].TryGetInt32(out int del) || del < 0 ||
                    patch[2].ValueKind != JsonValueKind.String)
                {
                    throw Malformed(path, $"txns[{txnIndex}].patches[{patchIndex}] is not [pos, numDeleted, \"inserted\"] with non-negative integers.");
                }

                var ins = patch[2].GetString()!;
                RequireNoAstralCharacters(path, ins, txnIndex, patchIndex);
                positions.Add(pos);
                deleted.Add(del);
                inserted.Add(ins);
                patchIndex++;
            }

            txnIndex++;
        }

        txnStarts.Add(positions.Count);
        return new EditingTrace(end.GetString()!, [.. txnStarts], [.. positions], [.. deleted], [.. inserted]);
    }

    // Trace positions count code points and YText counts UTF-16 units; they agree only while no character
    // needs a surrogate pair, which holds for every trace in shared/traces (see its SOURCES.md).
    private static void RequireNoAstralCharacters(string path, string s, int txn, int patch)
    {
        foreach (char c in s)
        {
            if (char.IsSurrogate(c))
            {
                throw Malformed(path, $"txns[{txn}].patches[{patch}] inserts a character above U+FFFF; positions in code points " +
                    "would not match the document's UTF-16 indices, so such traces are not supported.");
            }
        }
    }

    private static CliException Malformed(string path, string reason) =>
        new(ExitCodes.BadInput, $"{CliIo.Describe(path)} is not an editing trace: {reason}");
}
