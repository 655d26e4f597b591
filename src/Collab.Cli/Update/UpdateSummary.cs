using System.Text.Json;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary>
/// What <c>update inspect</c> reports. Client ids are written as JSON numbers: Yjs client ids are at most
/// 2^53 (lib0 varuints), so every JSON reader keeps them exact. The state vector is therefore an array of
/// <c>{client, clock}</c> pairs, not an object keyed by (string) client id.
/// </summary>
internal sealed class UpdateSummary
{
    // Indexed by Content.Ref (1 ContentDeleted ... 9 ContentDoc); the names follow the yjs content classes.
    private static readonly string[] ContentNames =
        ["", "deleted", "json", "binary", "string", "embed", "format", "type", "any", "doc"];

    private readonly long[] _itemsByContent = new long[ContentNames.Length];

    private UpdateSummary(UpdateFormat format, long bytes) => (Format, Bytes) = (format, bytes);

    public UpdateFormat Format { get; }

    public long Bytes { get; }

    public SortedSet<ulong> Clients { get; } = [];

    public long Items { get; private set; }

    public long Gc { get; private set; }

    public long Skip { get; private set; }

    public long Structs => Items + Gc + Skip;

    public long DeleteRanges { get; private set; }

    public SortedDictionary<ulong, long> StateVector { get; } = [];

    public long ItemsWithContent(int contentRef) => _itemsByContent[contentRef];

    public static UpdateSummary Of(byte[] update, UpdateFormat format)
    {
        var summary = new UpdateSummary(format, update.Length);
        var decoded = Updates.Decode(update, format);

        foreach (var s in decoded.Structs)
        {
            summary.Clients.Add(s.Id.Client);
            switch (s)
            {
                case Item item:
                    summary.Items++;
                    var contentRef = item.Content.Ref;
                    if ((uint)contentRef < (uint)ContentNames.Length)
                    {
                        summary._itemsByContent[contentRef]++;
                    }

                    break;
                case Crdt.Gc:
                    summary.Gc++;
                    break;
                case Crdt.Skip:
                    summary.Skip++;
                    break;
            }
        }

        foreach (var ranges in decoded.DeleteSet.Clients.Values)
        {
            summary.DeleteRanges += ranges.Count;
        }

        var stateVector = Crdt.StateVector.Decode(Updates.EncodeStateVectorFromUpdate(update, format));
        foreach (var (client, clock) in stateVector)
        {
            summary.StateVector[client] = clock;
        }

        return summary;
    }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", UpdateArguments.Name(Format));
            json.WriteNumber("bytes", Bytes);

            json.WriteStartArray("clients");
            foreach (var client in Clients)
            {
                json.WriteNumberValue(client);
            }

            json.WriteEndArray();

            json.WriteStartObject("structs");
            json.WriteNumber("total", Structs);
            json.WriteNumber("items", Items);
            json.WriteNumber("gc", Gc);
            json.WriteNumber("skip", Skip);
            json.WriteStartObject("itemsByContent");
            for (var i = 1; i < ContentNames.Length; i++)
            {
                json.WriteNumber(ContentNames[i], _itemsByContent[i]);
            }

            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteNumber("deleteRanges", DeleteRanges);

            json.WriteStartArray("stateVector");
            foreach (var (client, clock) in StateVector)
            {
                json.WriteStartObject();
                json.WriteNumber("client", client);
                json.WriteNumber("clock", clock);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
