using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>AdamW (decoupled weight decay 0.01): Adam's kernel plus p·(1 − lr·wd), the same 28 bytes a parameter.</summary>
public class AdamWKernelBenchmarks : OptimizerKernelBenchmark
{
    private static readonly AdamHyper Hyper = AdamHyper.For(10, 1e-3, 0.9, 0.999, 1e-8, 0.01, decoupled: true, amsgrad: false, maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => AdamKernel.StepReference(Param, Grad, State1, State2, [], Hyper);

    [Benchmark]
    public void Vectorised() => AdamKernel.Step(Param, Grad, State1, State2, [], Hyper);
}
