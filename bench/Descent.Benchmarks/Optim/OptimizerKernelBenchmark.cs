using BenchmarkDotNet.Attributes;

namespace Descent.Benchmarks.Optim;

/// <summary>
/// Shared set-up for one optimizer's kernel: the scalar <c>StepReference</c> (baseline) against the vectorised
/// <c>Step</c> over the same spans. A step streams every buffer once (read, and written back where it is state),
/// so at N = 1M the figures are memory-bound: about 4 bytes × (buffers read + buffers written) per parameter.
/// </summary>
[MemoryDiagnoser]
public abstract class OptimizerKernelBenchmark
{
    /// <summary>Parameters in the tensor: 4096 stays in L1/L2, 1M (4 MB a buffer) spills to L3 or DRAM.</summary>
    [Params(4096, 1_000_000)]
    public int N { get; set; }

    protected float[] Param { get; set; } = [];
    protected float[] Grad { get; set; } = [];
    protected float[] State1 { get; set; } = [];
    protected float[] State2 { get; set; } = [];
    protected float[] State3 { get; set; } = [];

    [GlobalSetup]
    public void Setup()
    {
        // Fixed seed and non-zero values: the same work every run, and no denormals from state decaying to zero.
        var random = new Random(42);
        float[] Fill(float lo, float hi)
        {
            var a = new float[N];
            for (int i = 0; i < a.Length; i++) a[i] = lo + (hi - lo) * random.NextSingle();
            return a;
        }
        Param = Fill(-1, 1);
        Grad = Fill(-1, 1);
        State1 = Fill(-0.1f, 0.1f);
        State2 = Fill(0.01f, 0.1f); // second moments and accumulators are positive
        State3 = Fill(0.01f, 0.1f);
    }
}
