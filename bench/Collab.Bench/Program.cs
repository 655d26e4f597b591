using BenchmarkDotNet.Running;
using Collab.Bench;

if (args is ["--memory"])
{
    MemoryProbe.Run(Console.Out);
    return;
}

// Any BenchmarkDotNet switch works (--filter, --artifacts, --job ...); BenchConfig supplies the defaults.
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, BenchConfig.Create());
