using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>Adamax: reads p, g, m, u and writes p, m, u, 28 bytes a parameter.</summary>
public class AdamaxKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly AdamaxHyper Hyper = AdamaxHyper.For(10, lr: 2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => AdamaxKernel.StepReference(Param, Grad, State1, State2, Hyper);

    [Benchmark]
    public void Vectorised() => AdamaxKernel.Step(Param, Grad, State1, State2, Hyper);
}
