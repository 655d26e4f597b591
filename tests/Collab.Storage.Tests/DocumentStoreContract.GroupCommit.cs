namespace Collab.Storage.Tests;

// Group commit: one writer per store takes everything queued and writes it in one transaction. Every backend owes
// callers the same: an append is acknowledged only by its own commit, with its own seq; appends queued during a commit
// share the next one, one document's appends in their order; a database error fails only the append that causes it;
// a cancelled append is never written; disposal writes what was queued before it.
public abstract partial class DocumentStoreContract
{
    /// <summary>SQL that makes the database refuse (with the message 'poisoned update') every update of 777 bytes.</summary>
    protected abstract string PoisonTriggerSql { get; }

    /// <summary>Transactions the store's append writer has committed with more than one append in them.</summary>
    protected abstract long SharedAppendTransactions { get; }

    // Holds the append writer at the fault point of its first transaction (SQLite: inside it, just before commit;
    // PostgreSQL: just before it sends the group's statement) so that the appends queued meanwhile are all waiting when
    // it moves on: they then go together in the next transaction.
    private sealed class WriterGate : IDisposable
    {
        private readonly IStoreHooks _hooks;
        private readonly ManualResetEventSlim _release = new();
        private readonly SemaphoreSlim _entered = new(0);
        private int _commits;

        public WriterGate(IDocumentStore store)
        {
            _hooks = (IStoreHooks)store;
            _hooks.Fault = point =>
            {
                if (point != FaultPoints.AppendBeforeCommit) return;
                if (Interlocked.Increment(ref _commits) == 1)
                {
                    _entered.Release();
                    Assert.True(_release.Wait(TimeSpan.FromSeconds(30)), "the gate was never opened");
                }
            };
        }

        /// <summary>Transactions that reached the point just before commit.</summary>
        public int Commits => Volatile.Read(ref _commits);

        public Task<bool> EnteredAsync() => _entered.WaitAsync(TimeSpan.FromSeconds(30));

        public void Open() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            _hooks.Fault = null;
        }
    }

    [Fact]
    public async Task Appends_to_many_documents_queued_during_a_commit_share_the_next_transaction()
    {
        using var gate = new WriterGate(Store);
        var first = Store.AppendAsync(new DocumentKey("w", "first"), [TestUpdates.Update(1)]);
        Assert.True(await gate.EnteredAsync());

        // 30 documents, and a second append to one of them behind its first: all queued while the writer is held.
        var keys = Enumerable.Range(0, 30).Select(i => new DocumentKey("w", $"doc{i}")).ToArray();
        var appends = keys.Select(k => Store.AppendAsync(k, TestUpdates.Batch(1, 3))).ToList();
        var again = Store.AppendAsync(keys[7], TestUpdates.Batch(4, 2));
        Assert.All(appends, t => Assert.False(t.IsCompleted)); // nothing is acknowledged before its commit
        gate.Open();

        Assert.Equal(1, await first);
        Assert.All(await Task.WhenAll(appends), seq => Assert.Equal(3, seq));
        Assert.Equal(5, await again);
        Assert.Equal(2, gate.Commits);                // the held transaction, then one for all 31 appends
        Assert.Equal(1, SharedAppendTransactions);
        for (var i = 0; i < keys.Length; i++)
        {
            var doc = (await Store.LoadAsync(keys[i]))!;
            Assert.Equal(i == 7 ? 5 : 3, TestUpdates.AssertContiguousFromOne(TestUpdates.IdsOf(doc)));
            Assert.Equal(Enumerable.Range(1, i == 7 ? 5 : 3).Select(n => (long)n), doc.Log.Select(u => u.Seq));
        }
    }

    [Fact]
    public async Task An_append_that_fails_inside_a_shared_transaction_fails_only_its_own_caller()
    {
        // A real database error for one append only: a trigger refuses updates of 777 bytes.
        await ExecuteSqlAsync(PoisonTriggerSql);
        var poisoned = new DocumentKey("w", "poisoned");
        var keys = Enumerable.Range(0, 12).Select(i => new DocumentKey("w", $"doc{i}")).ToArray();
        foreach (var k in keys.Take(6)) await Store.AppendAsync(k, [TestUpdates.Update(1)]); // some exist already

        using var gate = new WriterGate(Store);
        var first = Store.AppendAsync(new DocumentKey("w", "first"), [TestUpdates.Update(1)]);
        Assert.True(await gate.EnteredAsync());
        var before = keys.Take(6).Select(k => Store.AppendAsync(k, TestUpdates.Batch(2, 2))).ToList();
        var bad = Store.AppendAsync(poisoned, [TestUpdates.Update(1), TestUpdates.Update(2, size: 777)]);
        var after = keys.Skip(6).Select(k => Store.AppendAsync(k, TestUpdates.Batch(1, 2))).ToList();
        gate.Open();

        Assert.Equal(1, await first);
        var e = await Assert.ThrowsAsync<StorageException>(() => bad);
        Assert.Contains("poisoned update", e.Message);
        Assert.All(await Task.WhenAll(before), seq => Assert.Equal(3, seq));
        Assert.All(await Task.WhenAll(after), seq => Assert.Equal(2, seq));
        Assert.Equal(0, SharedAppendTransactions); // the shared one was rolled back, the others retried alone

        Assert.Null(await Store.LoadAsync(poisoned)); // nothing of the failed append, not even its document row
        foreach (var (k, i) in keys.Select((k, i) => (k, i)))
            Assert.Equal(i < 6 ? 3 : 2, TestUpdates.AssertContiguousFromOne(TestUpdates.IdsOf((await Store.LoadAsync(k))!)));

        // and the store goes on batching afterwards, the failed document included
        gate.Dispose();
        var more = keys.Select(k => Store.AppendAsync(k, [TestUpdates.Update(10)])).Append(Store.AppendAsync(poisoned, [TestUpdates.Update(1)]));
        await Task.WhenAll(more);
        Assert.Equal(1, (await Store.LoadAsync(poisoned))!.Log.Single().Seq);
    }

    [Fact]
    public async Task An_append_cancelled_while_queued_is_never_written()
    {
        using var gate = new WriterGate(Store);
        var first = Store.AppendAsync(new DocumentKey("w", "first"), [TestUpdates.Update(1)]);
        Assert.True(await gate.EnteredAsync());
        using var cts = new CancellationTokenSource();
        var cancelled = Store.AppendAsync(new DocumentKey("w", "cancelled"), [TestUpdates.Update(1)], cts.Token);
        var kept = Store.AppendAsync(new DocumentKey("w", "kept"), [TestUpdates.Update(1)]);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Open();

        Assert.Equal(1, await first);
        Assert.Equal(1, await kept);
        Assert.Null(await Store.LoadAsync(new DocumentKey("w", "cancelled")));
    }

    [Fact]
    public async Task Appends_queued_before_disposal_are_written_and_later_ones_refused()
    {
        var key = new DocumentKey("w", "d");
        var queued = Enumerable.Range(1, 20).Select(i => Store.AppendAsync(new DocumentKey("w", $"d{i}"), [TestUpdates.Update(1)])).ToList();
        await Store.DisposeAsync();

        Assert.All(await Task.WhenAll(queued), seq => Assert.Equal(1, seq));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.AppendAsync(key, [TestUpdates.Update(1)]));
        await using var reopened = OpenStore();
        for (var i = 1; i <= 20; i++) Assert.NotNull(await reopened.LoadAsync(new DocumentKey("w", $"d{i}")));
    }
}
