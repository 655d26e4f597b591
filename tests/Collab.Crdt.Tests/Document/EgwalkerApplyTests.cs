using System.Security.Cryptography;
using System.Text;

namespace Collab.Crdt.Tests.Document;

/// <summary>The Eg-walker paper's yjs updates apply to a document holding exactly their recorded texts.</summary>
public sealed class EgwalkerApplyTests
{
    [Theory]
    [InlineData("S1", 314_556, "8409d42979be648c4c5a562b24423fd38d72b7a0e76c0f45d6615b2035dfd9c2")]
    [InlineData("S2", 170_307, "742fc259a98a421e1a0a8370d8107a0d1f25e17c879c5b46fd89660b0542629e")]
    [InlineData("S3", 122_271, "919594197c2eac21497c19ff0e719c31d27a4b37dccce08b8bfaeb6725b00ff1")]
    [InlineData("C1", 534_050, "0740f4cf919bb5c878a06b1da9f2292661a224c89e96e79e62a372357696416f")]
    public void Egwalker_update_applies_to_its_recorded_text(string name, int length, string sha256)
    {
        var doc = new Doc();
        doc.ApplyUpdate(TestPaths.ReadUpdate($"egwalker/{name}.v2.yjs"), UpdateFormat.V2);
        string text = doc.GetText("text").ToString();
        Assert.Equal(length, text.Length);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void S1_reencodes_as_yjs_does()
    {
        // yjs re-encodes S1 (written by yrs) byte-identically as v2; a document holding it must too
        byte[] s1 = TestPaths.ReadUpdate("egwalker/S1.v2.yjs");
        var doc = new Doc();
        doc.ApplyUpdate(s1, UpdateFormat.V2);
        Assert.Equal(s1, doc.EncodeStateAsUpdate(format: UpdateFormat.V2));
        Assert.Equal(674_157, doc.EncodeStateAsUpdate().Length);
    }
}
