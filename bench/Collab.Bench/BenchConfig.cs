using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Collab.Bench;

/// <summary>
/// One short job, in-process: bench/run.sh has to finish in minutes, and the in-process toolchain needs no
/// generated project (BenchmarkDotNet 0.14 predates net10.0 and cannot always build one for it).
/// The numbers are medians of seven 200 ms iterations: good enough to compare with yjs, too coarse to
/// catch a 5% regression (run with <c>--job medium</c> for that).
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(7)
                .WithIterationTime(TimeInterval.FromMilliseconds(200))
                .WithId("short-inprocess")
                .AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full) // read by bench/report.mjs; DefaultConfig already writes GitHub markdown
            .AddColumn(StatisticColumn.Median)
            .WithOptions(ConfigOptions.JoinSummary);
}
