using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>RMSprop (α 0.99, not centred, no momentum): reads p, g, v and writes p, v, 20 bytes a parameter.</summary>
public class RmspropKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly RmspropHyper Hyper = new(Lr: 0.01f, Alpha: 0.99f, Eps: 1e-8f, WeightDecay: 0, Momentum: 0, Centered: false, Maximize: false)
    {
        OneMinusAlpha = (float)(1 - 0.99),
    };

    [Benchmark(Baseline = true)]
    public void Reference() => RmspropKernel.StepReference(Param, Grad, State2, [], [], Hyper);

    [Benchmark]
    public void Vectorised() => RmspropKernel.Step(Param, Grad, State2, [], [], Hyper);
}
