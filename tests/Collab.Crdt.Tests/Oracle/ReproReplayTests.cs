namespace Collab.Crdt.Tests.Oracle;

/// <summary>
/// Every disagreement with yjs that the property tests ever saved is replayed here, without Node: the file holds
/// yjs' answer. A repro that passes can stay as a regression test.
/// </summary>
public sealed class ReproReplayTests
{
    public static TheoryData<string> Repros()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in ReproStore.LoadAll())
        {
            data.Add(Path.GetFileName(path));
        }

        if (data.Count == 0)
        {
            // xunit fails a theory without data; an empty folder is a good state.
            data.Add("");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Repros))]
    public void Saved_repro_now_agrees_with_yjs(string file)
    {
        if (file.Length == 0)
        {
            return;
        }

        var (_, repro) = ReproStore.LoadAll().Single(r => Path.GetFileName(r.Path) == file);
        var collab = repro.Op.RunCollab();
        Assert.True(collab.Agrees(repro.Yjs), $"{repro.Op}\nyjs:    {repro.Yjs}\ncollab: {collab}\nfound by: {repro.Context}");
    }
}
