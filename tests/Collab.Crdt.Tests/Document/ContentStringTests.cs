using Xunit;

namespace Collab.Crdt.Tests.Document;

public sealed class ContentStringTests
{
    [Fact]
    public void SplitOfAMergedRunAfterItsTextWasReadKeepsBothHalvesRight()
    {
        // regression: splitting a merged run cut its builder but kept the cached full string
        var run = new ContentString("ab");
        run.MergeWith(new ContentString("cd"));
        Assert.Equal("abcd", run.Str);
        var tail = (ContentString)run.Splice(1);
        Assert.Equal("a", run.Str);
        Assert.Equal(1, run.Length);
        Assert.Equal("bcd", tail.Str);
    }

    [Fact]
    public void SplitOfAMergedRunInsideASurrogatePairReplacesBothHalves()
    {
        var run = new ContentString("a\uD83D");
        run.MergeWith(new ContentString("\uDE00b"));
        var tail = (ContentString)run.Splice(2);
        Assert.Equal("a\uFFFD", run.Str);
        Assert.Equal("\uFFFDb", tail.Str);
    }

    [Fact]
    public void TextEditedWhileReadStaysEqualToAPlainString()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var text = doc.GetText("t");
        var model = new System.Text.StringBuilder();
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            if (model.Length > 0 && random.Next(4) == 0)
            {
                int at = random.Next(model.Length);
                int n = Math.Min(model.Length - at, random.Next(1, 4));
                text.Delete(at, n);
                model.Remove(at, n);
            }
            else
            {
                int at = random.Next(4) == 0 ? random.Next(model.Length + 1) : model.Length;
                string s = ((char)('a' + random.Next(26))).ToString();
                text.Insert(at, s);
                model.Insert(at, s);
            }

            if (i % 7 == 0)
            {
                Assert.Equal(model.ToString(), text.ToString());
            }
        }

        Assert.Equal(model.ToString(), text.ToString());
    }
}
