using Collab.Storage.Postgres;
using Collab.Storage.Sqlite;

namespace Collab.Storage.Tests;

/// <summary>
/// Entry point when the crash tests start this assembly as a child process
/// (<c>dotnet Collab.Storage.Tests.dll crash-writer sqlite DIR</c> or <c>... postgres CONNECTION SCHEMA</c>):
/// it appends batches and compacts until killed, printing "committed N" once update ids 1..N are durable.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3 || args[0] is not ("crash-writer" or "crash-writer-multi"))
        {
            await Console.Error.WriteLineAsync(
                "usage: crash-writer[-multi] sqlite DATA_DIR | crash-writer[-multi] postgres CONNECTION_STRING SCHEMA");
            return 2;
        }
        // COLLAB_CRASH_DURABILITY=Flush|Write: what the store waits for (Flush when unset)
        var durability = Enum.Parse<StorageDurability>(Environment.GetEnvironmentVariable("COLLAB_CRASH_DURABILITY") is { Length: > 0 } d ? d : "Flush");
        await using IDocumentStore store = args[1] == "sqlite"
            ? SqliteDocumentStore.Open(args[2], durability)
            : PostgresDocumentStore.Create(args[2], args[3], durability);
        await store.MigrateAsync();

        // COLLAB_CRASH_HANG_AT=point@n: the n-th time the store reaches that fault point (inside a transaction,
        // everything written, nothing committed), say so and hang until killed.
        if (Environment.GetEnvironmentVariable("COLLAB_CRASH_HANG_AT") is { Length: > 0 } hang)
        {
            var (point, remaining) = (hang[..hang.IndexOf('@')], int.Parse(hang[(hang.IndexOf('@') + 1)..]));
            ((IStoreHooks)store).Fault = p =>
            {
                if (p != point || --remaining > 0) return;
                Console.WriteLine("hanging " + p);
                Thread.Sleep(Timeout.Infinite);
            };
        }

        if (args[0] == "crash-writer-multi")
        {
            await Task.WhenAll(Enumerable.Range(0, MultiDocuments).Select(d => Task.Run(() => WriteUntilKilled(store, d))));
            return 0;
        }

        var key = new DocumentKey("crash", "doc");
        var random = new Random(12345);
        long nextId = 1;
        for (var round = 1; ; round++)
        {
            var count = random.Next(1, 6);
            var batch = new UpdateRecord[count];
            for (var i = 0; i < count; i++) batch[i] = TestUpdates.Update(nextId + i, random.Next(8, 16_384));
            await store.AppendAsync(key, batch);
            nextId += count;
            Console.WriteLine($"committed {nextId - 1}");

            if (round % 8 == 0)
            {
                var doc = (await store.LoadAsync(key))!;
                var (snapshot, upTo) = TestUpdates.Fold(doc);
                await store.CompactAsync(key, snapshot, upTo);
                Console.WriteLine($"compacted {upTo}");
            }
        }
    }

    /// <summary>How many documents crash-writer-multi writes to at once, each from its own task.</summary>
    public const int MultiDocuments = 12;

    public static DocumentKey MultiDocument(int d) => new("crash-multi", $"doc{d}");

    // crash-writer-multi: one writer per document, all concurrent (as the server's document hosts are), so the store
    // shares transactions between documents; prints "committed D N" once update ids 1..N of document D are durable
    // (and "shared N": how many transactions so far held more than one append).
    private static async Task WriteUntilKilled(IDocumentStore store, int d)
    {
        var key = MultiDocument(d);
        var random = new Random(1000 + d);
        long nextId = 1;
        for (var round = 1; ; round++)
        {
            var count = random.Next(1, 5);
            var batch = new UpdateRecord[count];
            for (var i = 0; i < count; i++) batch[i] = TestUpdates.Update(nextId + i, random.Next(8, 2048));
            await store.AppendAsync(key, batch);
            nextId += count;
            Console.WriteLine($"committed {d} {nextId - 1}");
            // Lets the test check that the documents' appends really shared transactions.
            if (store is SqliteDocumentStore sqlite) Console.WriteLine($"shared {Volatile.Read(ref sqlite.SharedAppendTransactions)}");
            if (store is PostgresDocumentStore postgres) Console.WriteLine($"shared {Volatile.Read(ref postgres.SharedAppendTransactions)}");

            if (round % 8 == 0)
            {
                var doc = (await store.LoadAsync(key))!;
                var (snapshot, upTo) = TestUpdates.Fold(doc);
                await store.CompactAsync(key, snapshot, upTo);
            }
        }
    }
}
