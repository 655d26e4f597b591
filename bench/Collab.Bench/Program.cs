using BenchmarkDotNet.Running;
using Collab.Bench;

// Any BenchmarkDotNet switch works (--filter, --artifacts, --job ...); BenchConfig supplies the defaults.
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, BenchConfig.Create());
