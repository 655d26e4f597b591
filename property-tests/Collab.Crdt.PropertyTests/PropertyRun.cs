using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace Collab.Crdt.PropertyTests;

/// <summary>
/// How every property of this project runs: FsCheck with a seed chosen here and printed first, so a failure can be
/// replayed exactly; a case count scaled by <c>COLLAB_PROPERTY_SCALE</c> (default 1, which keeps the whole project
/// under about three minutes on two cores).
/// </summary>
/// <remarks>
/// Replay: set <c>COLLAB_PROPERTY_REPLAY="seed,gamma"</c> (printed by each test, and by FsCheck on failure) with the
/// same scale, and run the one test with <c>--filter</c>. No shrinking: a case costs a Node round trip, and the
/// differential tests minimise their own repros instead.
/// </remarks>
internal static class PropertyRun
{
    public static double Scale { get; } = ReadScale();

    /// <summary><paramref name="atScaleOne"/> cases, scaled, at least one.</summary>
    public static int Cases(int atScaleOne) => Math.Max(1, (int)Math.Round(atScaleOne * Scale));

    private static double ReadScale()
    {
        var text = Environment.GetEnvironmentVariable("COLLAB_PROPERTY_SCALE");
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || !(scale > 0))
        {
            throw new InvalidOperationException($"COLLAB_PROPERTY_SCALE must be a positive number, not '{text}'.");
        }

        return scale;
    }

    private static Rnd ChooseSeed()
    {
        var replay = Environment.GetEnvironmentVariable("COLLAB_PROPERTY_REPLAY");
        if (string.IsNullOrWhiteSpace(replay))
        {
            return new Rnd((ulong)System.Random.Shared.NextInt64());
        }

        var parts = replay.Trim().Trim('(', ')').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !ulong.TryParse(parts[0], out var seed) || !ulong.TryParse(parts[1], out var gamma))
        {
            throw new InvalidOperationException($"COLLAB_PROPERTY_REPLAY must be \"seed,gamma\", not '{replay}'.");
        }

        return new Rnd(seed, gamma);
    }

    /// <summary>Checks <paramref name="body"/> for <paramref name="cases"/> values of <paramref name="gen"/>; a throw fails the test.</summary>
    public static void Check<T>(ITestOutputHelper output, string name, Gen<T> gen, int cases, Action<T> body)
    {
        var rnd = ChooseSeed();
        output.WriteLine(
            $"{name}: {cases} cases (COLLAB_PROPERTY_SCALE={Scale.ToString(CultureInfo.InvariantCulture)}); " +
            $"replay with COLLAB_PROPERTY_REPLAY=\"{rnd.Seed},{rnd.Gamma}\"");
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(cases)
            .WithQuietOnSuccess(true)
            .WithName(name)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(rnd, FSharpOption<int>.None)));
        FsCheck.Check.One(config, Prop.ForAll(Arb.From(gen), body));
    }
}
