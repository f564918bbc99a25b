using BenchmarkDotNet.Attributes;
using Descent.Optim.Kernels;

namespace Descent.Benchmarks.Optim;

/// <summary>Adam (no weight decay, no amsgrad): reads p, g, m, v and writes p, m, v, 28 bytes a parameter.</summary>
public class AdamKernelBenchmarks : OptimizerKernelBenchmark
{
    // Step 10: bias corrections are not 1, as in a real run.
    private static readonly AdamHyper Hyper = AdamHyper.For(10, 1e-3, 0.9, 0.999, 1e-8, 0, decoupled: false, amsgrad: false, maximize: false);

    [Benchmark(Baseline = true)]
    public void Reference() => AdamKernel.StepReference(Param, Grad, State1, State2, [], Hyper);

    [Benchmark]
    public void Vectorised() => AdamKernel.Step(Param, Grad, State1, State2, [], Hyper);
}
