using FsCheck;
using FsCheck.Fluent;

namespace Collab.Crdt.PropertyTests.Fuzz;

/// <summary>
/// Byte-level damage to real updates: bit flips, boundary bytes, truncation, insertions, deletions, duplicated
/// chunks, splices of two updates and oversized varints. Driven by a seed so that an FsCheck replay reproduces it.
/// </summary>
internal static class Mutator
{
    // Bytes that mean something to lib0 and yjs: varint continuation and sign bits, struct kinds, any tags.
    private static readonly byte[] Interesting = [0, 1, 2, 7, 8, 9, 10, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xff, 116, 117, 118, 119, 122, 123, 127];

    // A varint far beyond 2^53, and lengths/counts that would be disastrous to allocate.
    private static readonly byte[][] BigVarints =
    [
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
        [0xff, 0xff, 0xff, 0xff, 0x0f],
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        [0xff, 0xff, 0x7f],
    ];

    public static Gen<byte> Byte { get; } = Gen.Frequency(
        (3, Gen.Choose(0, 255).Select(i => (byte)i)),
        (2, Gen.Elements(Interesting)));

    /// <summary>Random bytes, short, skewed towards meaningful values.</summary>
    public static Gen<byte[]> RandomBytes { get; } =
        from n in Gen.Frequency((4, Gen.Choose(0, 16)), (2, Gen.Choose(17, 64)), (1, Gen.Choose(65, 400)))
        from bytes in Gen.ArrayOf(Byte, n)
        select bytes;

    /// <summary>Applies 1–4 mutations to <paramref name="input"/>, splicing with <paramref name="other"/> sometimes.</summary>
    public static byte[] Mutate(byte[] input, byte[] other, int seed)
    {
        var random = new System.Random(seed);
        var bytes = new List<byte>(input);
        var count = 1 + random.Next(4);
        for (var m = 0; m < count; m++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(10))
            {
                case 0:
                case 1:
                    if (bytes.Count > 0)
                    {
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2:
                    if (bytes.Count > 0)
                    {
                        bytes[at] = Interesting[random.Next(Interesting.Length)];
                    }

                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    var inserted = new byte[1 + random.Next(8)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    break;
                case 5:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 6:
                    if (bytes.Count > 0)
                    {
                        var len = Math.Min(bytes.Count - at, 1 + random.Next(32));
                        var chunk = bytes.GetRange(at, len);
                        bytes.InsertRange(random.Next(bytes.Count + 1), chunk);
                    }

                    break;
                case 7:
                    var cut = other.Length == 0 ? 0 : random.Next(other.Length);
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.AsSpan(cut).ToArray());
                    break;
                case 8:
                    bytes.InsertRange(at, BigVarints[random.Next(BigVarints.Length)]);
                    break;
                default:
                    // Overwrite rather than insert: keeps the following bytes aligned but changes a count or length.
                    var big = BigVarints[random.Next(BigVarints.Length)];
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1));
                    bytes.InsertRange(at, big);
                    break;
            }
        }

        return bytes.ToArray();
    }
}
