using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>SGD with momentum 0.9 (not the first step): reads p, g, b and writes p, b, 20 bytes a parameter.</summary>
public class SgdMomentumKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly SgdHyper Hyper = new(Lr: 0.01f, Momentum: 0.9f, Dampening: 0, WeightDecay: 0, Nesterov: false, Maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => SgdKernel.StepReference(Param, Grad, State1, Hyper, firstStep: false);

    [Benchmark]
    public void Vectorised() => SgdKernel.Step(Param, Grad, State1, Hyper, firstStep: false);
}
