using BenchmarkDotNet.Running;

// Pick benchmarks with BenchmarkDotNet's own arguments, e.g. --filter '*Adam*' --job short.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
