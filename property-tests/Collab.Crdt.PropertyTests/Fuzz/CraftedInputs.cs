using System.Text;

namespace Collab.Crdt.PropertyTests.Fuzz;

/// <summary>Hand-built hostile updates that random mutation finds too rarely: deep nesting and absurd counts.</summary>
internal static class CraftedInputs
{
    // The any value [1, 2.5, "x"] inside DecoderHarness.PartnerV1/V2 (ContentAny {a: [1, 2.5, "x"]}).
    private static readonly byte[] PartnerArray = [0x75, 0x03, 0x7d, 0x01, 0x7c, 0x40, 0x20, 0x00, 0x00, 0x77, 0x01, 0x78];

    private const ulong MaxSafe = (1UL << 53) - 1;

    public static IEnumerable<(string Name, byte[] Input)> DeeplyNested(int depth)
    {
        var arrays = new List<byte>();
        var objects = new List<byte>();
        for (var i = 0; i < depth; i++)
        {
            arrays.AddRange([117, 1]);
            objects.AddRange([118, 1, 1, (byte)'a']);
        }

        arrays.Add(126);
        objects.Add(126);

        yield return ("v1 ContentAny of nested arrays", Replace(DecoderHarness.PartnerV1, PartnerArray, arrays.ToArray()));
        yield return ("v2 ContentAny of nested arrays", Replace(DecoderHarness.PartnerV2, PartnerArray, arrays.ToArray()));
        yield return ("v1 ContentAny of nested objects", Replace(DecoderHarness.PartnerV1, PartnerArray, objects.ToArray()));
        yield return ("v2 ContentAny of nested objects", Replace(DecoderHarness.PartnerV2, PartnerArray, objects.ToArray()));

        var json = new string('[', depth) + new string(']', depth);
        yield return ("v1 ContentJSON of nested arrays", RootItem(2, c => { VarUint(c, 1); VarString(c, json); }));
        yield return ("v1 ContentEmbed of nested arrays", RootItem(5, c => VarString(c, json)));
        yield return ("v1 ContentFormat of nested arrays", RootItem(6, c => { VarString(c, "bold"); VarString(c, json); }));
        var jsonObjects = new StringBuilder().Insert(0, "{\"a\":", depth).Append("null").Append('}', depth).ToString();
        yield return ("v1 ContentEmbed of nested objects", RootItem(5, c => VarString(c, jsonObjects)));
        yield return ("v1 ContentDoc with nested options", RootItem(9, c => { VarString(c, "guid"); c.AddRange(objects); }));
    }

    public static IEnumerable<(string Name, byte[] Input)> HugeCounts()
    {
        foreach (var big in new ulong[] { MaxSafe, 1UL << 32, int.MaxValue, 1UL << 40, ulong.MaxValue })
        {
            yield return ($"client count {big}", Build(c => VarUint(c, big)));
            yield return ($"struct count {big}", Build(c => { VarUint(c, 1); VarUint(c, big); VarUint(c, 1); VarUint(c, 0); }));
            yield return ($"first clock {big}", Build(c => { VarUint(c, 1); VarUint(c, 1); VarUint(c, 1); VarUint(c, big); c.Add(0); VarUint(c, 3); c.Add(0); }));
            yield return ($"GC length {big}", Build(c => { VarUint(c, 1); VarUint(c, 1); VarUint(c, 1); VarUint(c, 0); c.Add(0); VarUint(c, big); c.Add(0); }));
            yield return ($"Skip length {big}", Build(c => { VarUint(c, 1); VarUint(c, 1); VarUint(c, 1); VarUint(c, 0); c.Add(10); VarUint(c, big); c.Add(0); }));
            yield return ($"ContentDeleted length {big}", RootItem(1, c => VarUint(c, big)));
            yield return ($"ContentAny count {big}", RootItem(8, c => VarUint(c, big)));
            yield return ($"ContentJSON count {big}", RootItem(2, c => VarUint(c, big)));
            yield return ($"ContentString length {big}", RootItem(4, c => VarUint(c, big)));
            yield return ($"ContentBinary length {big}", RootItem(3, c => VarUint(c, big)));
            yield return ($"any array count {big}", RootItem(8, c => { VarUint(c, 1); c.Add(117); VarUint(c, big); }));
            yield return ($"any object count {big}", RootItem(8, c => { VarUint(c, 1); c.Add(118); VarUint(c, big); }));
            yield return ($"any string length {big}", RootItem(8, c => { VarUint(c, 1); c.Add(119); VarUint(c, big); }));
            yield return ($"any Uint8Array length {big}", RootItem(8, c => { VarUint(c, 1); c.Add(116); VarUint(c, big); }));
            yield return ($"delete set client count {big}", Build(c => { c.Add(0); VarUint(c, big); }));
            yield return ($"delete set range count {big}", Build(c => { c.Add(0); VarUint(c, 1); VarUint(c, 1); VarUint(c, big); }));
            yield return ($"delete range length {big}", Build(c => { c.Add(0); VarUint(c, 1); VarUint(c, 1); VarUint(c, 1); VarUint(c, 0); VarUint(c, big); }));
            yield return ($"state vector count {big}", Build(c => VarUint(c, big)));
            yield return ($"v2 column length {big}", Build(c => { c.Add(0); VarUint(c, big); }));
            yield return ($"v2 rest client count {big}", Build(c => { c.Add(0); for (var i = 0; i < 9; i++) { c.Add(0); } VarUint(c, big); }));
        }
    }

    /// <summary>A v1 update with one client (1), one Item of <paramref name="contentKind"/> in root "a", then an empty delete set.</summary>
    private static byte[] RootItem(byte contentKind, Action<List<byte>> content) => Build(c =>
    {
        VarUint(c, 1);
        VarUint(c, 1);
        VarUint(c, 1);
        VarUint(c, 0);
        c.Add(contentKind);
        VarUint(c, 1);
        VarString(c, "a");
        content(c);
        c.Add(0);
    });

    private static byte[] Build(Action<List<byte>> write)
    {
        var c = new List<byte>();
        write(c);
        return c.ToArray();
    }

    private static void VarUint(List<byte> c, ulong value)
    {
        while (value > 0x7f)
        {
            c.Add((byte)(0x80 | (value & 0x7f)));
            value >>= 7;
        }

        c.Add((byte)value);
    }

    private static void VarString(List<byte> c, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        VarUint(c, (ulong)bytes.Length);
        c.AddRange(bytes);
    }

    private static byte[] Replace(byte[] haystack, byte[] needle, byte[] replacement)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        if (at < 0)
        {
            throw new InvalidOperationException("The partner update no longer contains the value to replace.");
        }

        return [.. haystack.AsSpan(0, at), .. replacement, .. haystack.AsSpan(at + needle.Length)];
    }
}
