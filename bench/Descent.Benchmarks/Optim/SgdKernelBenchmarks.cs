using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>Plain SGD: reads p, g and writes p, 12 bytes a parameter.</summary>
public class SgdKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly SgdHyper Hyper = new(Lr: 0.01f, Momentum: 0, Dampening: 0, WeightDecay: 0, Nesterov: false, Maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => SgdKernel.StepReference(Param, Grad, [], Hyper, firstStep: false);

    [Benchmark]
    public void Vectorised() => SgdKernel.Step(Param, Grad, [], Hyper, firstStep: false);
}
