using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>RMSprop (α 0.99, not centred, no momentum): reads p, g, v and writes p, v, 20 bytes a parameter.</summary>
public class RmspropKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly RmspropHyper Hyper = new(Lr: 0.01, Alpha: 0.99, Eps: 1e-8, WeightDecay: 0, Momentum: 0, Centered: false, Maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => RmspropKernel.StepReference(Param, Grad, State2, [], [], Hyper);

    [Benchmark]
    public void Vectorised() => RmspropKernel.Step(Param, Grad, State2, [], [], Hyper);
}
