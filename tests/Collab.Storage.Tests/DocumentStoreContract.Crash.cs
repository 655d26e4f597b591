using System.Diagnostics;
using static Collab.Storage.Tests.TestUpdates;

namespace Collab.Storage.Tests;

// Crash tests: a child process (Program.Main) writes to this test's database and is killed with SIGKILL, either at a
// random moment or while it hangs inside a transaction; the store must then hold every update it reported committed.
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task Killing_a_writer_process_mid_stream_loses_no_committed_update()
    {
        long committed = 0;
        for (var run = 0; run < 2; run++)
        {
            // Each run starts a fresh document, so the second run shows a kill does not disturb the next writer.
            if (run > 0) await Store.DeleteAsync(new DocumentKey("crash", "doc"));
            committed = await RunCrashWriterUntilKilled(minCommits: 60 + run * 40);
            var doc = await Store.LoadAsync(new DocumentKey("crash", "doc"));
            Assert.NotNull(doc);
            var held = AssertContiguousFromOne(IdsOf(doc));
            Assert.True(held >= committed, $"the writer reported update {committed} committed, but only {held} survived");
        }
        Assert.True(committed > 0);
    }

    [Theory]
    [InlineData(FaultPoints.AppendBeforeCommit)]
    [InlineData(FaultPoints.CompactBeforeCommit)]
    public async Task Killing_a_writer_process_inside_a_transaction_keeps_every_committed_update_and_nothing_else(string point)
    {
        // The writer compacts every 8th round: the 3rd compaction, or the 30th append (past a few compactions).
        var hangAt = point == FaultPoints.AppendBeforeCommit ? 30 : 3;

        var committed = await RunCrashWriterUntilKilled(minCommits: int.MaxValue, hangAt: $"{point}@{hangAt}");

        var key = new DocumentKey("crash", "doc");
        var doc = (await Store.LoadAsync(key))!;
        Assert.Equal(committed, AssertContiguousFromOne(IdsOf(doc))); // the hung transaction left nothing behind

        // and the document stays writable and compactable
        var lastSeq = (await ((IDocumentCatalog)Store).GetInfoAsync(key))!.LastSeq;
        Assert.Equal(lastSeq + 1, await Store.AppendAsync(key, [Update(committed + 1)]));
        var (snapshot, upTo) = Fold((await Store.LoadAsync(key))!);
        await Store.CompactAsync(key, snapshot, upTo);
        var compacted = (await Store.LoadAsync(key))!;
        Assert.Empty(compacted.Log);
        Assert.Equal(committed + 1, AssertContiguousFromOne(IdsOf(compacted)));
    }

    [Fact]
    public async Task Killing_a_process_appending_to_many_documents_at_once_loses_no_committed_update()
    {
        // One writer per document, all concurrent: the appends of several documents share transactions.
        var committed = new long[Program.MultiDocuments];
        long shared = 0;
        var info = CrashWriterStartInfo("crash-writer-multi");
        using var child = Process.Start(info)!;
        var stderr = child.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();

        void Record(string line)
        {
            // "committed D N"; a line cut short by the kill is ignored (it only lowers what we require)
            var parts = line.Split(' ');
            if (parts is ["committed", var d, var n] && int.TryParse(d, out var doc) && long.TryParse(n, out var id))
                committed[doc] = Math.Max(committed[doc], id);
            if (parts is ["shared", var s] && long.TryParse(s, out var count)) shared = Math.Max(shared, count);
        }

        try
        {
            // Runs until every document has committed a fair number of batches, then kills at a random moment.
            while (committed.Min() < 40)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                if (line is null) Assert.Fail($"the crash writer exited early: {await stderr}");
                Record(line);
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the crash writer is too slow");
            }
            await Task.Delay(Random.Shared.Next(0, 25));
        }
        finally
        {
            child.Kill(entireProcessTree: true); // SIGKILL
            await child.WaitForExitAsync();
        }
        await WaitForKilledWriterAsync();
        while (await child.StandardOutput.ReadLineAsync() is { } line) Record(line);
        AssertCrashWriterSharedTransactions(shared);

        for (var d = 0; d < Program.MultiDocuments; d++)
        {
            var doc = await Store.LoadAsync(Program.MultiDocument(d));
            Assert.NotNull(doc);
            var held = AssertContiguousFromOne(IdsOf(doc));
            Assert.True(held >= committed[d], $"document {d}: update {committed[d]} was reported committed, but only {held} survived");
            // and the document takes the next append right after what survived
            var lastSeq = (await ((IDocumentCatalog)Store).GetInfoAsync(Program.MultiDocument(d)))!.LastSeq;
            Assert.Equal(lastSeq + 1, await Store.AppendAsync(Program.MultiDocument(d), [Update(held + 1)]));
        }
    }

    /// <summary>Waits until what the killed writer left running in the database server (if any) has ended.</summary>
    protected virtual Task WaitForKilledWriterAsync() => Task.CompletedTask;

    /// <summary>Checks the "shared N" lines of crash-writer-multi (SQLite: transactions holding several appends).</summary>
    protected virtual void AssertCrashWriterSharedTransactions(long shared)
    {
    }

    private ProcessStartInfo CrashWriterStartInfo(string mode)
    {
        // DOTNET_HOST_PATH is the muxer running `dotnet test`; the same one runs the child.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        info.ArgumentList.Add(mode);
        foreach (var a in CrashWriterArguments()) info.ArgumentList.Add(a);
        info.Environment["COLLAB_CRASH_DURABILITY"] = Durability.ToString();
        return info;
    }

    private async Task<long> RunCrashWriterUntilKilled(int minCommits, string? hangAt = null)
    {
        var info = CrashWriterStartInfo("crash-writer");
        if (hangAt is not null) info.Environment["COLLAB_CRASH_HANG_AT"] = hangAt;

        using var child = Process.Start(info)!;
        var stderr = child.StandardError.ReadToEndAsync();
        long committed = 0;
        var deadline = Stopwatch.StartNew();
        try
        {
            while (committed < minCommits)
            {
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                if (line is null) Assert.Fail($"the crash writer exited early: {await stderr}");
                if (line.StartsWith("committed ", StringComparison.Ordinal)) committed = long.Parse(line.AsSpan(10));
                if (line.StartsWith("hanging ", StringComparison.Ordinal)) break;
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(40), "the crash writer is too slow");
            }
            if (hangAt is null) await Task.Delay(Random.Shared.Next(0, 25)); // land the kill at a random point of a transaction
        }
        finally
        {
            child.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushes
            await child.WaitForExitAsync();
        }
        await WaitForKilledWriterAsync();
        // Lines printed between our last read and the kill were committed too.
        while (await child.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith("committed ", StringComparison.Ordinal)) committed = long.Parse(line.AsSpan(10));
        return committed;
    }
}
