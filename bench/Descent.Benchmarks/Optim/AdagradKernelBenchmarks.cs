using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>Adagrad: reads p, g, sum and writes p, sum, 20 bytes a parameter.</summary>
public class AdagradKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly AdagradHyper Hyper = AdagradHyper.For(10, lr: 0.01, lrDecay: 0, eps: 1e-10, weightDecay: 0, maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => AdagradKernel.StepReference(Param, Grad, State2, Hyper);

    [Benchmark]
    public void Vectorised() => AdagradKernel.Step(Param, Grad, State2, Hyper);
}
