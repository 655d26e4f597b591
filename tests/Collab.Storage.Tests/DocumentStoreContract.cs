using System.Diagnostics;
using static Collab.Storage.Tests.TestUpdates;

namespace Collab.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IDocumentStore"/> owes the server, run against each backend by a subclass.
/// Each test gets a fresh, migrated database of its own in <see cref="Store"/>.
/// </summary>
public abstract partial class DocumentStoreContract : IAsyncLifetime
{
    private static readonly DocumentKey Doc = new("acme", "spec");

    private IDocumentStore? _store;

    protected IDocumentStore Store => _store ?? throw new InvalidOperationException("store not initialised");

    /// <summary>A new store instance on this test's database (as after a restart, or a second server).</summary>
    protected abstract IDocumentStore OpenStore();

    /// <summary>
    /// What the stores under test wait for before a write returns (the crash writer's too). Every backend passes the
    /// whole contract in both modes: <see cref="StorageDurability.Write"/> gives up only the disk's flush, so a killed
    /// process must still lose nothing it reported committed.
    /// </summary>
    protected virtual StorageDurability Durability => StorageDurability.Flush;

    /// <summary>Runs raw SQL on this test's database.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>Runs a query that returns one count.</summary>
    protected abstract Task<long> CountAsync(string sql);

    /// <summary>The migration after which appends no longer write history rows (compaction does).</summary>
    protected abstract int HistoryAtCompactionVersion { get; }

    /// <summary>The table that holds the history compaction wrote (PostgreSQL: as runs, since its migration 5).</summary>
    protected virtual string HistoryTable => "document_history";

    /// <summary>A query counting the history entries compaction wrote.</summary>
    protected virtual string HistoryEntriesSql => $"SELECT count(*) FROM {HistoryTable}";

    /// <summary>
    /// SQL that turns this test's database into one from before <see cref="HistoryAtCompactionVersion"/>: a
    /// <c>document_history</c> row for every update, the log's too, and the later migrations not applied.
    /// </summary>
    protected virtual string HistoryWrittenWithEveryAppendSql => $"""
        INSERT INTO document_history (document_id, seq, received_at, size, origin)
        SELECT document_id, seq, received_at, length(payload), origin FROM document_updates;
        DELETE FROM schema_migrations WHERE version >= {HistoryAtCompactionVersion};
        """;

    /// <summary>Arguments for <see cref="Program"/> after "crash-writer": the backend and where its data lives.</summary>
    protected abstract string[] CrashWriterArguments();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public virtual async Task InitializeAsync()
    {
        _store = OpenStore();
        await _store.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await CleanUpAsync();
    }

    [Fact]
    public async Task A_document_never_stored_loads_as_null()
    {
        Assert.Null(await Store.LoadAsync(Doc));
        Assert.Null(await ((IDocumentCatalog)Store).GetInfoAsync(Doc));
    }

    [Fact]
    public async Task Appended_updates_load_back_in_order_with_payload_origin_and_time()
    {
        var at = new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        UpdateRecord[] updates = [new([1, 2, 3], "alice", at), new([], null, at.AddSeconds(1)), new([0xff], "bob", at.AddSeconds(2))];

        Assert.Equal(3, await Store.AppendAsync(Doc, updates));

        var doc = await Store.LoadAsync(Doc);
        Assert.NotNull(doc);
        Assert.Null(doc.Snapshot);
        Assert.Equal(0, doc.SnapshotSeq);
        Assert.Equal([1L, 2, 3], doc.Log.Select(u => u.Seq));
        for (var i = 0; i < updates.Length; i++)
        {
            Assert.Equal(updates[i].Payload, doc.Log[i].Payload);
            Assert.Equal(updates[i].Origin, doc.Log[i].Origin);
            Assert.Equal(UnixTime.Truncate(updates[i].ReceivedAt), doc.Log[i].ReceivedAt);
        }
    }

    [Fact]
    public async Task Sequence_numbers_ascend_across_batches_starting_at_one()
    {
        Assert.Equal(1, await Store.AppendAsync(Doc, [Update(1)]));
        Assert.Equal(4, await Store.AppendAsync(Doc, Batch(2, 3)));
        Assert.Equal(5, await Store.AppendAsync(Doc, [Update(5)]));

        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal([1L, 2, 3, 4, 5], doc.Log.Select(u => u.Seq));
        Assert.Equal([1L, 2, 3, 4, 5], doc.Log.Select(u => IdOf(u.Payload)));
    }

    [Fact]
    public async Task An_empty_batch_appends_nothing_and_returns_the_last_seq()
    {
        Assert.Equal(0, await Store.AppendAsync(Doc, []));
        Assert.Null(await Store.LoadAsync(Doc));
        await Store.AppendAsync(Doc, Batch(1, 2));
        Assert.Equal(2, await Store.AppendAsync(Doc, []));
    }

    [Fact]
    public async Task An_append_aborted_before_commit_leaves_no_trace_and_the_next_append_continues_the_sequence()
    {
        await Store.AppendAsync(Doc, Batch(1, 2));
        var other = new DocumentKey("acme", "brand-new");
        Hooks.Fault = point => { if (point == FaultPoints.AppendBeforeCommit) throw new SimulatedCrash(); };

        await Assert.ThrowsAsync<SimulatedCrash>(() => Store.AppendAsync(Doc, Batch(3, 4)));
        await Assert.ThrowsAsync<SimulatedCrash>(() => Store.AppendAsync(other, Batch(1, 3)));
        Hooks.Fault = null;

        Assert.Equal([1L, 2], IdsOf((await Store.LoadAsync(Doc))!));
        Assert.Null(await Store.LoadAsync(other));
        Assert.Equal(3, await Store.AppendAsync(Doc, [Update(3)]));
        Assert.Equal([1L, 2, 3], (await Store.LoadAsync(Doc))!.Log.Select(u => u.Seq));
    }

    [Fact]
    public async Task Compaction_retires_exactly_the_entries_it_covers()
    {
        await Store.AppendAsync(Doc, Batch(1, 10));

        await Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4, 5, 6]), upToSeq: 6);

        var log = await ((IDocumentCatalog)Store).ReadLogAsync(Doc, afterSeq: 0, limit: 100);
        Assert.Equal([7L, 8, 9, 10], log.Select(u => u.Seq));
        var info = (await ((IDocumentCatalog)Store).GetInfoAsync(Doc))!;
        Assert.Equal(6, info.CompactedSeq);
        Assert.Equal(10, info.LastSeq);
        Assert.Equal(6 * 8 + 4 * 32, info.Size);
    }

    [Fact]
    public async Task Load_after_compaction_is_the_snapshot_plus_the_rest_of_the_log_and_sequences_continue()
    {
        await Store.AppendAsync(Doc, Batch(1, 5));
        await Store.CompactAsync(Doc, Snapshot([1, 2, 3]), upToSeq: 3);
        Assert.Equal(7, await Store.AppendAsync(Doc, Batch(6, 2)));

        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(3, doc.SnapshotSeq);
        Assert.Equal(Snapshot([1, 2, 3]), doc.Snapshot);
        Assert.Equal([4L, 5, 6, 7], doc.Log.Select(u => u.Seq));
        AssertContiguousFromOne(IdsOf(doc));

        // A second compaction replaces the first snapshot; compacting everything leaves an empty log.
        await Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4, 5, 6, 7]), upToSeq: 7);
        doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(7, doc.SnapshotSeq);
        Assert.Empty(doc.Log);
        Assert.Equal(7, AssertContiguousFromOne(IdsOf(doc)));
    }

    [Fact]
    public async Task Compacting_past_the_end_of_the_log_is_rejected_as_a_conflict()
    {
        await Store.AppendAsync(Doc, Batch(1, 3));
        var e = await Assert.ThrowsAsync<StorageException>(() => Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4]), upToSeq: 4));
        Assert.Equal(StorageErrorKind.Conflict, e.Kind);
        Assert.Contains("log ends at seq 3", e.Message);
        Assert.Equal(3, (await Store.LoadAsync(Doc))!.Log.Count);
    }

    [Fact]
    public async Task Compacting_an_unknown_document_is_rejected_as_not_found()
    {
        var e = await Assert.ThrowsAsync<StorageException>(() => Store.CompactAsync(Doc, [], upToSeq: 1));
        Assert.Equal(StorageErrorKind.DocumentNotFound, e.Kind);
    }

    [Fact]
    public async Task A_stale_compaction_is_ignored()
    {
        await Store.AppendAsync(Doc, Batch(1, 6));
        await Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4]), upToSeq: 4);

        await Store.CompactAsync(Doc, Snapshot([1, 2]), upToSeq: 2);
        await Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4]), upToSeq: 4);

        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(4, doc.SnapshotSeq);
        Assert.Equal(6, AssertContiguousFromOne(IdsOf(doc)));
    }

    [Fact]
    public async Task A_compaction_aborted_before_commit_leaves_the_previous_snapshot_and_log_loadable()
    {
        await Store.AppendAsync(Doc, Batch(1, 4));
        await Store.CompactAsync(Doc, Snapshot([1, 2]), upToSeq: 2);
        await Store.AppendAsync(Doc, Batch(5, 2));
        Hooks.Fault = point => { if (point == FaultPoints.CompactBeforeCommit) throw new SimulatedCrash(); };

        await Assert.ThrowsAsync<SimulatedCrash>(() => Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4, 5, 6]), upToSeq: 6));
        Hooks.Fault = null;

        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(2, doc.SnapshotSeq);
        Assert.Equal([3L, 4, 5, 6], doc.Log.Select(u => u.Seq));
        Assert.Equal(6, AssertContiguousFromOne(IdsOf(doc)));
        Assert.Equal(2, (await ((IDocumentCatalog)Store).GetInfoAsync(Doc))!.CompactedSeq);
    }

    [Fact]
    public async Task Concurrent_appends_from_several_tasks_and_stores_get_distinct_contiguous_sequences()
    {
        await using var second = OpenStore();
        const int tasks = 8, batches = 15;
        var results = await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var store = t % 2 == 0 ? Store : second;
            var seqs = new List<long>();
            for (var b = 0; b < batches; b++)
            {
                // ids encode (task, batch, index) so the log can be checked for order within each batch.
                var batch = Enumerable.Range(0, 3).Select(i => Update(t * 10_000 + b * 10 + i)).ToArray();
                seqs.Add(await store.AppendAsync(Doc, batch));
            }
            return seqs;
        })));

        foreach (var seqs in results) Assert.Equal(seqs.Order(), seqs); // each writer sees its own appends ascend
        var all = results.SelectMany(s => s).Order().ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(Enumerable.Range(1, tasks * batches * 3).Select(i => (long)i), doc.Log.Select(u => u.Seq));
        foreach (var last in all)
        {
            // a batch's three updates sit together, in order, ending at the returned seq
            var ids = doc.Log.Where(u => u.Seq > last - 3 && u.Seq <= last).Select(u => IdOf(u.Payload)).ToList();
            Assert.Equal([ids[0], ids[0] + 1, ids[0] + 2], ids);
        }
    }

    [Fact]
    public async Task Many_documents_appending_concurrently_each_get_durable_contiguous_sequences()
    {
        // One writer per document, all at once (as the server's document hosts do): the store may share transactions
        // between documents, but each document's seqs stay its own, contiguous from 1, one batch's updates together.
        const int documents = 40, rounds = 12;
        var keys = Enumerable.Range(0, documents).Select(d => new DocumentKey("many", $"doc{d}")).ToArray();
        var counts = await Task.WhenAll(keys.Select((key, d) => Task.Run(async () =>
        {
            var random = new Random(d);
            long next = 1;
            for (var r = 0; r < rounds; r++)
            {
                var batch = Batch(next, random.Next(1, 4), size: random.Next(8, 512));
                Assert.Equal(next + batch.Length - 1, await Store.AppendAsync(key, batch));
                next += batch.Length;
                if (r == rounds / 2)
                {
                    var (snapshot, upTo) = Fold((await Store.LoadAsync(key))!);
                    await Store.CompactAsync(key, snapshot, upTo);
                }
            }
            return next - 1;
        })));

        await using var reopened = OpenStore(); // what a restarted server would load
        for (var d = 0; d < documents; d++)
        {
            var doc = (await reopened.LoadAsync(keys[d]))!;
            Assert.Equal(counts[d], AssertContiguousFromOne(IdsOf(doc)));
            Assert.Equal(Enumerable.Range((int)doc.SnapshotSeq + 1, (int)(counts[d] - doc.SnapshotSeq)).Select(i => (long)i),
                doc.Log.Select(u => u.Seq));
            Assert.Equal(counts[d], (await ((IDocumentCatalog)reopened).GetInfoAsync(keys[d]))!.LastSeq);
        }
    }

    [Fact]
    public async Task Loads_stay_consistent_while_appends_and_compactions_run_concurrently()
    {
        await Store.AppendAsync(Doc, [Update(1)]);
        const int readerCount = 3;
        var loads = new int[readerCount];
        var stop = Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            long id = 2;
            // Runs until the readers have overlapped it a fair number of times (or time is up).
            for (var round = 1; stop.Elapsed < TimeSpan.FromSeconds(10) && (id < 300 || loads.Min() < 20); round++)
            {
                await Task.Yield(); // SQLite's async methods complete synchronously: let the readers have a thread
                await Store.AppendAsync(Doc, [Update(id++), Update(id++)]);
                if (round % 3 == 0)
                {
                    var (snapshot, upTo) = Fold((await Store.LoadAsync(Doc))!);
                    await Store.CompactAsync(Doc, snapshot, upTo);
                }
            }
        });
        var readers = Enumerable.Range(0, readerCount).Select(r => Task.Run(async () =>
        {
            long seen = 0;
            while (!writer.IsCompleted)
            {
                var doc = (await Store.LoadAsync(Doc))!;
                var count = AssertContiguousFromOne(IdsOf(doc));
                Assert.True(count >= seen, $"a later load saw fewer updates ({count}) than an earlier one ({seen})");
                Assert.All(doc.Log, u => Assert.True(u.Seq > doc.SnapshotSeq));
                seen = count;
                Interlocked.Increment(ref loads[r]);
            }
        })).ToArray();

        await writer;
        await Task.WhenAll(readers);
        Assert.All(loads, n => Assert.True(n > 0, $"a reader never overlapped the writer (loads: {string.Join(",", loads)}, {stop.Elapsed})"));
    }

    [Fact]
    public async Task Compactions_racing_appends_from_another_store_keep_log_snapshot_and_size_consistent()
    {
        // Two stores (two connections, as two writers would have): one appends without pause, the other keeps
        // compacting what it last loaded. Whatever interleaving the row lock allows, each compaction either lands or
        // is refused as a conflict, and afterwards log, snapshot, marks and size agree.
        await Store.AppendAsync(Doc, Batch(1, 4));
        await using var compactor = OpenStore();
        var appended = 4L;
        var compactions = 0;
        var appender = Task.Run(async () =>
        {
            // at least 150 appends, and on until a few compactions have run beside them: a fast store finished 150
            // appends while the other was still on its first compaction (only 1 overlapped, once in CI)
            var clock = Stopwatch.StartNew();
            for (var round = 0; round < 150 || (Volatile.Read(ref compactions) < 5 && clock.Elapsed < TimeSpan.FromSeconds(30)); round++)
            {
                await Store.AppendAsync(Doc, Batch(appended + 1, 2, size: 16 + round));
                appended += 2;
            }
        });
        while (!appender.IsCompleted || compactions == 0)
        {
            var (snapshot, upTo) = Fold((await compactor.LoadAsync(Doc))!);
            try
            {
                await compactor.CompactAsync(Doc, snapshot, upTo);
                Interlocked.Increment(ref compactions);
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.Conflict)
            {
            }
        }
        await appender;

        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(appended, AssertContiguousFromOne(IdsOf(doc)));
        Assert.All(doc.Log, u => Assert.True(u.Seq > doc.SnapshotSeq));
        var info = (await ((IDocumentCatalog)Store).GetInfoAsync(Doc))!;
        Assert.Equal((appended, doc.SnapshotSeq), (info.LastSeq, info.CompactedSeq));
        Assert.Equal(doc.Snapshot!.Length + doc.Log.Sum(u => (long)u.Payload.Length), info.Size);
        Assert.True(compactions > 1, $"only {compactions} compaction(s) overlapped the appends");
    }

    [Fact]
    public async Task Delete_removes_the_document_with_its_log_and_snapshots_and_a_new_one_starts_over()
    {
        var neighbour = new DocumentKey("acme", "other");
        await Store.AppendAsync(Doc, Batch(1, 4));
        await Store.CompactAsync(Doc, Snapshot([1, 2]), upToSeq: 2);
        await Store.AppendAsync(neighbour, Batch(1, 2));

        Assert.True(await Store.DeleteAsync(Doc));

        Assert.Null(await Store.LoadAsync(Doc));
        Assert.Empty(await ((IDocumentCatalog)Store).ReadLogAsync(Doc, 0, 10));
        Assert.False(await Store.DeleteAsync(Doc));
        Assert.Equal(2, (await Store.LoadAsync(neighbour))!.Log.Count);
        Assert.Equal(1, await Store.AppendAsync(Doc, [Update(1)]));
        Assert.Equal(0, (await Store.LoadAsync(Doc))!.SnapshotSeq);
    }

    [Fact]
    public async Task Delete_leaves_no_row_of_the_document_behind_even_with_appends_racing_it()
    {
        await Store.AppendAsync(Doc, Batch(1, 4));
        await Store.CompactAsync(Doc, Snapshot([1, 2]), upToSeq: 2); // a snapshot and history rows too
        var appender = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++) await Store.AppendAsync(Doc, [Update(100 + i)]);
        });
        var deleted = 0;
        while (!appender.IsCompleted)
        {
            if (await Store.DeleteAsync(Doc)) deleted++;
            await Task.Yield();
        }
        await appender;
        await Store.DeleteAsync(Doc);

        Assert.True(deleted > 1, $"no delete raced the appends ({deleted})");
        Assert.Null(await Store.LoadAsync(Doc));
        foreach (var table in new[] { "document_updates", HistoryTable, "document_snapshots" })
            Assert.Equal(0, await CountAsync($"SELECT count(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)"));
    }

    [Fact]
    public async Task Migrations_are_idempotent_when_run_twice_and_by_another_instance()
    {
        await Store.AppendAsync(Doc, Batch(1, 2));

        await Store.MigrateAsync();
        await using (var again = OpenStore())
        {
            await again.MigrateAsync();
            await again.MigrateAsync();
            Assert.Equal(2, (await again.LoadAsync(Doc))!.Log.Count);
        }
        Assert.True(await Store.PingAsync());
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_version_is_refused_with_a_clear_message()
    {
        await ExecuteSqlAsync("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
        await using var newer = OpenStore();

        var e = await Assert.ThrowsAsync<StorageException>(() => newer.MigrateAsync());

        Assert.Equal(StorageErrorKind.SchemaMismatch, e.Kind);
        Assert.Contains("schema version 999", e.Message);
        Assert.Contains("newer Collab", e.Message);
    }

    [Fact]
    public async Task Documents_are_isolated_by_workspace()
    {
        var a = new DocumentKey("team-a", "notes");
        var b = new DocumentKey("team-b", "notes");
        await Store.AppendAsync(a, Batch(1, 3));
        await Store.AppendAsync(b, [Update(100)]);
        await Store.CompactAsync(a, Snapshot([1, 2, 3]), 3);

        Assert.Equal(1, await Store.AppendAsync(new DocumentKey("team-c", "notes"), [Update(7)]));
        var docB = (await Store.LoadAsync(b))!;
        Assert.Null(docB.Snapshot);
        Assert.Equal([100L], IdsOf(docB));
        Assert.True(await Store.DeleteAsync(a));
        Assert.NotNull(await Store.LoadAsync(b));
        Assert.Null(await Store.LoadAsync(new DocumentKey("team-a", "other")));
    }

    [Fact]
    public async Task Payloads_and_snapshots_of_several_megabytes_round_trip()
    {
        var big = new[] { Update(1, 5 << 20), Update(2, 3 << 20) };
        await Store.AppendAsync(Doc, big);
        var snapshot = Payload(99, 6 << 20);
        await Store.CompactAsync(Doc, snapshot, 1);

        var doc = (await Store.LoadAsync(Doc))!;
        Assert.Equal(snapshot, doc.Snapshot);
        Assert.Equal(big[1].Payload, Assert.Single(doc.Log).Payload);
        Assert.Equal((6 << 20) + (3 << 20), (await ((IDocumentCatalog)Store).GetInfoAsync(Doc))!.Size);
    }

    [Fact]
    public async Task Content_survives_reopening_the_store()
    {
        await Store.AppendAsync(Doc, Batch(1, 3));
        await Store.CompactAsync(Doc, Snapshot([1, 2]), 2);
        await Store.DisposeAsync();
        _store = null;

        await using var reopened = OpenStore();
        Assert.Equal(3, AssertContiguousFromOne(IdsOf((await reopened.LoadAsync(Doc))!)));
        Assert.Equal(4, await reopened.AppendAsync(Doc, [Update(4)]));
    }

    [Fact]
    public async Task The_catalog_lists_workspaces_and_documents_in_pages_and_reads_the_log_after_a_seq()
    {
        var catalog = (IDocumentCatalog)Store;
        foreach (var name in new[] { "b", "a", "c", "B" }) await Store.AppendAsync(new DocumentKey("w1", name), [Update(1, 10)]);
        await Store.AppendAsync(new DocumentKey("w2", "x"), Batch(1, 5, size: 10));

        Assert.Equal(["w1", "w2"], await catalog.ListWorkspacesAsync(null, 10));
        Assert.Equal(["w2"], await catalog.ListWorkspacesAsync("w1", 10));
        var page1 = await catalog.ListDocumentsAsync("w1", null, 2);
        Assert.Equal(["B", "a"], page1.Select(d => d.Key.Document)); // ordinal (byte) order on both backends
        var page2 = await catalog.ListDocumentsAsync("w1", page1[^1].Key.Document, 2);
        Assert.Equal(["b", "c"], page2.Select(d => d.Key.Document));
        Assert.Equal(10, page2[0].Size);

        var info = (await catalog.GetInfoAsync(new DocumentKey("w2", "x")))!;
        Assert.Equal((5L, 0L, 50L, 0L), (info.LastSeq, info.CompactedSeq, info.Size, info.OwnerEpoch));
        Assert.True(info.UpdatedAt >= info.CreatedAt);
        Assert.True(DateTimeOffset.UtcNow - info.UpdatedAt < TimeSpan.FromMinutes(1));
        Assert.Equal([3L, 4], (await catalog.ReadLogAsync(new DocumentKey("w2", "x"), 2, 2)).Select(u => u.Seq));
    }

    [Fact]
    public async Task Named_snapshots_survive_compaction_list_oldest_first_and_read_back_their_content()
    {
        var snapshots = (INamedSnapshotStore)Store;
        await Store.AppendAsync(Doc, Batch(1, 3));
        var first = await snapshots.SaveNamedSnapshotAsync(Doc, 3, "draft", "alice", Snapshot([1, 2, 3]), [3, 0]);
        await Store.AppendAsync(Doc, Batch(4, 2));
        var second = await snapshots.SaveNamedSnapshotAsync(Doc, 5, "final", null, Snapshot([1, 2, 3, 4, 5]), [5, 0]);
        await Store.CompactAsync(Doc, Snapshot([1, 2, 3, 4, 5]), 5);

        var list = await snapshots.ListNamedSnapshotsAsync(Doc);
        Assert.Equal([first, second], list);
        Assert.Equal(("draft", "alice", 3L, 24L), (list[0].Label, list[0].Author, list[0].Seq, list[0].Size));
        var read = (await snapshots.GetNamedSnapshotAsync(Doc, second.Id))!;
        Assert.Equal(second, read.Info);
        Assert.Equal(Snapshot([1, 2, 3, 4, 5]), read.State);
        Assert.Equal([5, 0], read.StateVector);
        Assert.Equal(5, (await Store.LoadAsync(Doc))!.SnapshotSeq); // a named snapshot is never loaded as the compaction one
        Assert.Null(await snapshots.GetNamedSnapshotAsync(new DocumentKey("acme", "other"), second.Id));

        Assert.True(await Store.DeleteAsync(Doc));
        Assert.Empty(await snapshots.ListNamedSnapshotsAsync(Doc));
        Assert.Null(await snapshots.GetNamedSnapshotAsync(Doc, first.Id));
    }

    [Fact]
    public async Task A_named_snapshot_past_the_end_of_the_log_or_of_an_unknown_document_is_rejected()
    {
        var snapshots = (INamedSnapshotStore)Store;
        var missing = await Assert.ThrowsAsync<StorageException>(() => snapshots.SaveNamedSnapshotAsync(Doc, 0, "x", null, [], []));
        Assert.Equal(StorageErrorKind.DocumentNotFound, missing.Kind);

        await Store.AppendAsync(Doc, Batch(1, 2));
        var ahead = await Assert.ThrowsAsync<StorageException>(() => snapshots.SaveNamedSnapshotAsync(Doc, 3, "x", null, [], []));
        Assert.Equal(StorageErrorKind.Conflict, ahead.Kind);
        Assert.Empty(await snapshots.ListNamedSnapshotsAsync(Doc));
    }

    private IStoreHooks Hooks => (IStoreHooks)Store;
}
