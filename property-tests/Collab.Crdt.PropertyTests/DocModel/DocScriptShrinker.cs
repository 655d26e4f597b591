using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Collab.Crdt.PropertyTests.DocModel;

/// <summary>
/// Greedy minimisation of a failing script (FsCheck cannot shrink HistoryGen's JSON): drop the final sync, then
/// whole steps, then single ops, picks and peers' gc-off flags, keeping each change that still fails, until nothing
/// more goes or the time budget is spent.
/// </summary>
internal static class DocScriptShrinker
{
    public static JsonObject Shrink(JsonObject script, Func<JsonObject, bool> fails, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var best = (JsonObject)script.DeepClone();
        bool Try(JsonObject candidate)
        {
            if (clock.Elapsed > budget || !fails(candidate))
            {
                return false;
            }

            best = candidate;
            return true;
        }

        if ((bool?)best["finalSync"] == true)
        {
            var c = (JsonObject)best.DeepClone();
            c["finalSync"] = false;
            Try(c);
        }

        bool progress = true;
        while (progress && clock.Elapsed < budget)
        {
            progress = false;
            for (int i = best["steps"]!.AsArray().Count - 1; i >= 0; i--)
            {
                var c = (JsonObject)best.DeepClone();
                c["steps"]!.AsArray().RemoveAt(i);
                progress |= Try(c);
            }

            var steps = best["steps"]!.AsArray();
            for (int i = steps.Count - 1; i >= 0; i--)
            {
                var listName = (string?)best["steps"]![i]!["kind"] switch { "txn" => "ops", "deliver" => "picks", _ => null };
                if (listName is null)
                {
                    continue;
                }

                for (int j = best["steps"]![i]![listName]!.AsArray().Count - 1; j >= 0 && best["steps"]![i]![listName]!.AsArray().Count > 1; j--)
                {
                    var c = (JsonObject)best.DeepClone();
                    c["steps"]![i]![listName]!.AsArray().RemoveAt(j);
                    progress |= Try(c);
                }
            }
        }

        return best;
    }
}
