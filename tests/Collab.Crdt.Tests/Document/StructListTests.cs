using Xunit;

namespace Collab.Crdt.Tests.Document;

/// <summary>The chunked struct list against a plain list, through enough operations to split and drop chunks many times.</summary>
public sealed class StructListTests
{
    // Structs of one client are contiguous by clock; the model keeps lengths, rebuilt into Gc structs.
    private static Gc Struct(long clock, long length) => new(new Id(7, clock), length);

    private static void AssertSame(List<long> model, StructList list)
    {
        Assert.Equal(model.Count, list.Count);
        long clock = 0;
        int i = 0;
        foreach (var s in list)
        {
            Assert.Equal(clock, s.Id.Clock);
            Assert.Equal(model[i], s.Length);
            Assert.Same(s, list[i]);
            clock += s.Length;
            i++;
        }

        Assert.Equal(model.Count, i);
    }

    private static void Renumber(List<long> model, StructList list)
    {
        // after an insert or removal the clocks are rebuilt so that they stay contiguous, as splits and merges keep them
        long clock = 0;
        for (int i = 0; i < model.Count; i++)
        {
            list[i] = Struct(clock, model[i]);
            clock += model[i];
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomEditsMatchAList(int seed)
    {
        var random = new Random(seed);
        var model = new List<long>();
        var list = new StructList();
        for (int step = 0; step < 6000; step++)
        {
            int op = random.Next(10);
            if (op < 3 || model.Count == 0)
            {
                long len = random.Next(1, 4);
                model.Add(len);
                list.Add(Struct(0, len));
            }
            else if (op < 7)
            {
                int at = random.Next(model.Count + 1);
                long len = random.Next(1, 4);
                model.Insert(at, len);
                list.Insert(at, Struct(0, len));
            }
            else
            {
                int at = random.Next(model.Count);
                int n = Math.Min(model.Count - at, random.Next(1, op == 9 ? 400 : 3));
                model.RemoveRange(at, n);
                list.RemoveRange(at, n);
            }

            Renumber(model, list);
            if (step % 97 == 0 || step > 5900)
            {
                AssertSame(model, list);
            }

            if (model.Count > 0)
            {
                long total = 0;
                foreach (long l in model)
                {
                    total += l;
                }

                long clock = random.NextInt64(total);
                int index = list.FindIndex(clock);
                Assert.True(list[index].Id.Clock <= clock && clock < list[index].Id.Clock + list[index].Length);
            }
        }
    }

    [Fact]
    public void EmptiedLastChunkIsReusedAndSearchStillWorks()
    {
        var list = new StructList();
        for (int i = 0; i < 257; i++)
        {
            list.Add(Struct(i, 1)); // the 257th opens a second chunk
        }

        list.RemoveAt(256);
        Assert.Equal(256, list.Count);
        Assert.Equal(255, list.FindIndex(255));
        Assert.Throws<InvalidOperationException>(() => list.FindIndex(256));
        list.Add(Struct(256, 1));
        Assert.Equal(256, list.FindIndex(256));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[257]);
    }
}
