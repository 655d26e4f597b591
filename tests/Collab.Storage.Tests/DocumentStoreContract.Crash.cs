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

    private async Task<long> RunCrashWriterUntilKilled(int minCommits, string? hangAt = null)
    {
        // DOTNET_HOST_PATH is the muxer running `dotnet test`; the same one runs the child.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (hangAt is not null) info.Environment["COLLAB_CRASH_HANG_AT"] = hangAt;
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        info.ArgumentList.Add("crash-writer");
        foreach (var a in CrashWriterArguments()) info.ArgumentList.Add(a);

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
        // Lines printed between our last read and the kill were committed too.
        while (await child.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith("committed ", StringComparison.Ordinal)) committed = long.Parse(line.AsSpan(10));
        return committed;
    }
}
