namespace Collab.Crdt.Tests.Codec;

public sealed class V8ArraySortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void With_a_consistent_comparator_it_is_a_stable_sort(int n)
    {
        var rng = new Random(n);
        var items = Enumerable.Range(0, n).Select(i => (Key: rng.Next(0, Math.Max(1, n / 8)), Index: i)).ToList();
        // runs and reversed runs exercise the run detection and the galloping merges
        if (n > 100)
        {
            items.Sort(0, n / 3, Comparer<(int Key, int Index)>.Create((a, b) => b.Key.CompareTo(a.Key)));
        }

        var expected = items.OrderBy(x => x.Key).ToList();
        V8ArraySort<(int Key, int Index)>.Sort(items, (a, b) => a.Key.CompareTo(b.Key));
        // TimSort is stable: equal keys keep their order (LINQ's OrderBy is stable too)
        Assert.Equal(expected, items);
    }
}
