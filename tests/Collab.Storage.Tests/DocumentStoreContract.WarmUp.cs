using static Collab.Storage.Tests.TestUpdates;

namespace Collab.Storage.Tests;

public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task A_warm_up_round_runs_the_append_path_and_stores_nothing()
    {
        var warmUp = Assert.IsAssignableFrom<IStoreWarmUp>(Store);
        var doc = new DocumentKey("acme", "spec");
        await Store.AppendAsync(doc, Batch(1, 2));

        for (var i = 0; i < 5; i++) await warmUp.WarmUpAsync();

        Assert.Equal(["acme"], await ((IDocumentCatalog)Store).ListWorkspacesAsync(null, 10));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM document_updates"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM documents"));
        // the sequence goes on where it was: the rolled-back rounds claimed nothing
        Assert.Equal(3, await Store.AppendAsync(doc, [Update(3)]));
        Assert.Equal([1L, 2, 3], (await Store.LoadAsync(doc))!.Log.Select(u => u.Seq));
    }

    [Fact]
    public async Task Warm_up_rounds_beside_appends_leave_every_append_stored_in_order()
    {
        var warmUp = (IStoreWarmUp)Store;
        var doc = new DocumentKey("acme", "busy");
        var rounds = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) await warmUp.WarmUpAsync();
        });
        var appends = Enumerable.Range(1, 40).Select(i => Store.AppendAsync(doc, [Update(i)])).ToList();
        var seqs = await Task.WhenAll(appends);
        await rounds;

        var stored = (await Store.LoadAsync(doc))!;
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), stored.Log.Select(u => u.Seq));
        // each append's seq holds its own update
        for (var i = 0; i < seqs.Length; i++) Assert.Equal(i + 1, IdOf(stored.Log[(int)seqs[i] - 1].Payload));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM documents"));
    }
}
