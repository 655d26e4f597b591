using System.Text;
using System.Text.Json;

namespace Collab.Sync;

/// <summary>The payload of an awareness message (y-protocols <c>encodeAwarenessUpdate</c> / <c>applyAwarenessUpdate</c>).</summary>
public static class AwarenessUpdate
{
    // varUint n, n × (varUint clientID, varUint clock, varString JSON.stringify(state))
    /// <summary>
    /// Decodes an awareness update. Every state must be one valid JSON value (a peer parses it with <c>JSON.parse</c>,
    /// so relaying garbage would break every client) of at most <paramref name="maxStateBytes"/> UTF-8 bytes.
    /// </summary>
    public static List<AwarenessEntry> Decode(ReadOnlySpan<byte> update, int maxStateBytes = int.MaxValue)
    {
        var reader = new Lib0Reader(update);
        ulong count = reader.ReadVarUint();
        // each entry takes at least 3 bytes; a larger count is a lie that would only allocate
        if (count > (ulong)reader.Remaining / 3)
        {
            SyncThrowHelper.EndOfBuffer();
        }

        var entries = new List<AwarenessEntry>((int)count);
        for (ulong i = 0; i < count; i++)
        {
            ulong client = reader.ReadVarUint();
            ulong clock = reader.ReadVarUint();
            var json = reader.ReadVarStringUtf8();
            if (json.Length > maxStateBytes)
            {
                SyncThrowHelper.Invalid(SyncProtocolError.LimitExceeded,
                    $"The awareness state of client {client} is {json.Length} bytes; the limit is {maxStateBytes}.");
            }

            ValidateJson(json, client);
            entries.Add(new AwarenessEntry(client, clock, Encoding.UTF8.GetString(json)));
        }

        reader.EnsureEnd("awareness update");
        return entries;
    }

    /// <summary>Encodes entries in the given order.</summary>
    public static byte[] Encode(IReadOnlyList<AwarenessEntry> entries)
    {
        var writer = new Lib0Writer(16 + entries.Count * 32);
        writer.WriteVarUint((ulong)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            writer.WriteVarUint(e.ClientId);
            writer.WriteVarUint(e.Clock);
            writer.WriteVarString(e.Json);
        }

        return writer.ToArray();
    }

    private static void ValidateJson(ReadOnlySpan<byte> json, ulong client)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read())
            {
                SyncThrowHelper.Invalid(SyncProtocolError.InvalidJson, $"The awareness state of client {client} is empty; expected JSON.");
            }

            reader.Skip();
            if (reader.Read())
            {
                SyncThrowHelper.Invalid(SyncProtocolError.InvalidJson, $"The awareness state of client {client} holds more than one JSON value.");
            }
        }
        catch (JsonException e)
        {
            SyncThrowHelper.Invalid(SyncProtocolError.InvalidJson, $"The awareness state of client {client} is not valid JSON: {e.Message}");
        }
    }
}
