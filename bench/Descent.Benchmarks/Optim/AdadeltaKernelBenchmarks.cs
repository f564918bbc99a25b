using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>Adadelta: reads p, g, v, Δ and writes p, v, Δ, 28 bytes a parameter.</summary>
public class AdadeltaKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly AdadeltaHyper Hyper = AdadeltaHyper.For(lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => AdadeltaKernel.StepReference(Param, Grad, State2, State3, Hyper);

    [Benchmark]
    public void Vectorised() => AdadeltaKernel.Step(Param, Grad, State2, State3, Hyper);
}
