using static Collab.Storage.Tests.TestUpdates;

namespace Collab.Storage.Tests;

// The history: every update's metadata, kept through compaction, gone with the document.
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task History_lists_every_update_with_time_size_and_origin_also_after_compaction()
    {
        var at = new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero).AddTicks(1_234_567);
        await Store.AppendAsync(Doc, [new([1, 2, 3], "alice", at), new([4], null, at.AddSeconds(1))]);
        await Store.AppendAsync(Doc, Batch(3, 3, size: 10));
        await Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4]), upToSeq: 4);
        var catalog = (IDocumentCatalog)Store;

        var history = await catalog.ReadHistoryAsync(Doc, 0, 100);

        Assert.Equal([1L, 2, 3, 4, 5], history.Select(h => h.Seq));
        Assert.Equal([3L, 1, 10, 10, 10], history.Select(h => h.Size));
        Assert.Equal("alice", history[0].Origin);
        Assert.Null(history[1].Origin);
        Assert.Equal(UnixTime.Truncate(at), history[0].ReceivedAt);
        Assert.Single(await catalog.ReadLogAsync(Doc, 0, 100)); // the log itself was compacted
        Assert.Equal([3L, 4], (await catalog.ReadHistoryAsync(Doc, 2, 2)).Select(h => h.Seq));
    }

    [Fact]
    public async Task History_pages_in_seq_order_across_many_compactions_and_the_log()
    {
        // 30 updates, each its own size, origin and time; compactions retire runs of 4, 1, 6, 1 and 8 entries
        var start = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        UpdateRecord At(int seq) => new(Payload(seq, 8 + seq), seq % 3 == 0 ? null : $"o{seq}", start.AddSeconds(seq));
        var appended = 0;
        foreach (var upTo in new[] { 4, 5, 11, 12, 20 })
        {
            await Store.AppendAsync(Doc, Enumerable.Range(appended + 1, upTo + 2 - appended).Select(At).ToArray());
            appended = upTo + 2;
            await Store.CompactAsync(Doc, Snapshot(Enumerable.Range(1, upTo).Select(i => (long)i)), upToSeq: upTo);
        }
        await Store.AppendAsync(Doc, Enumerable.Range(appended + 1, 30 - appended).Select(At).ToArray());
        var catalog = (IDocumentCatalog)Store;
        Assert.Equal(20, await CountAsync(HistoryEntriesSql));

        var all = await catalog.ReadHistoryAsync(Doc, 0, 1000);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), all.Select(h => h.Seq));
        Assert.All(all, h => Assert.Equal(8 + h.Seq, h.Size));
        Assert.All(all, h => Assert.Equal(h.Seq % 3 == 0 ? null : $"o{h.Seq}", h.Origin));
        Assert.All(all, h => Assert.Equal(start.AddSeconds(h.Seq), h.ReceivedAt));
        foreach (var limit in new[] { 1, 2, 3, 5, 7, 31 })
        {
            for (var after = 0; after <= 30; after++)
            {
                var page = await catalog.ReadHistoryAsync(Doc, after, limit);
                Assert.Equal(all.Where(h => h.Seq > after).Take(limit), page);
            }
        }
    }

    [Fact]
    public async Task History_goes_with_its_document()
    {
        await Store.AppendAsync(Doc, Batch(1, 3));
        await Store.DeleteAsync(Doc);
        await Store.AppendAsync(Doc, [Update(9)]);

        var history = await ((IDocumentCatalog)Store).ReadHistoryAsync(Doc, 0, 100);

        Assert.Equal([1L], history.Select(h => h.Seq));
        Assert.Empty(await ((IDocumentCatalog)Store).ReadHistoryAsync(new DocumentKey("acme", "never"), 0, 100));
    }

    [Fact]
    public async Task Migrating_a_database_from_before_the_history_fills_it_from_the_log()
    {
        await Store.AppendAsync(Doc, Batch(1, 3, size: 12));
        // as a version-1 database: no history table, migration 2 (and what came after it) not applied
        await ExecuteSqlAsync($"DROP TABLE {HistoryTable}; DELETE FROM schema_migrations WHERE version >= 2;");
        await using var upgraded = OpenStore();

        await upgraded.MigrateAsync();

        var history = await ((IDocumentCatalog)upgraded).ReadHistoryAsync(Doc, 0, 100);
        Assert.Equal([1L, 2, 3], history.Select(h => h.Seq));
        Assert.All(history, h => Assert.Equal(12, h.Size));
        Assert.Equal(4, await upgraded.AppendAsync(Doc, [Update(4)]));
        Assert.Equal(4, (await ((IDocumentCatalog)upgraded).ReadHistoryAsync(Doc, 0, 100)).Count);
    }

    [Fact]
    public async Task History_rows_are_written_by_compaction_and_a_database_that_wrote_them_with_every_append_keeps_each_entry_once()
    {
        await Store.AppendAsync(Doc, Batch(1, 3, size: 10));
        await Store.CompactAsync(Doc, Snapshot([1, 2]), upToSeq: 2);
        await Store.AppendAsync(Doc, Batch(4, 2, size: 12));
        Assert.Equal(2, await CountAsync(HistoryEntriesSql)); // appends write the log only
        // as the version before had it: a history row for every update, the log's too
        await ExecuteSqlAsync(HistoryWrittenWithEveryAppendSql);
        await using var upgraded = OpenStore();
        await upgraded.MigrateAsync();
        var catalog = (IDocumentCatalog)upgraded;

        Assert.Equal(2, await CountAsync(HistoryEntriesSql));
        Assert.Equal([1L, 2, 3, 4, 5], (await catalog.ReadHistoryAsync(Doc, 0, 100)).Select(h => h.Seq));
        Assert.Equal([10L, 10, 10, 12, 12], (await catalog.ReadHistoryAsync(Doc, 0, 100)).Select(h => h.Size));
        Assert.Equal([2L, 3, 4], (await catalog.ReadHistoryAsync(Doc, 1, 3)).Select(h => h.Seq)); // from the history into the log

        await upgraded.CompactAsync(Doc, Snapshot([1, 2, 3, 4]), upToSeq: 4);

        Assert.Equal(4, await CountAsync(HistoryEntriesSql));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM document_updates"));
        Assert.Equal([1L, 2, 3, 4, 5], (await catalog.ReadHistoryAsync(Doc, 0, 100)).Select(h => h.Seq));
        Assert.Equal([10L, 10, 10, 12, 12], (await catalog.ReadHistoryAsync(Doc, 0, 100)).Select(h => h.Size));
    }
}
