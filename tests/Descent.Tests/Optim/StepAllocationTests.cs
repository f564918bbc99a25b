using Descent.Optim;
using Descent.Optim.Kernels;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// A warmed optimizer's step allocates nothing (float32 or float64 parameters) on the stepping thread: options are read without boxing, the state
/// lookup has no capturing lambda, the per-group plan reuses its arrays, hooks are invoked through static lambdas,
/// and the worker pool hands out chunks without tasks or closures.
/// </summary>
public class StepAllocationTests
{
    public static TheoryData<string, int, DType> Cases() => OptimizerCases.ChunkedDTypes();

    [Theory]
    [MemberData(nameof(Cases))]
    public void HundredWarmStepsAllocateNothing(string name, int config, DType dtype)
    {
        // A parameter above the parallel threshold (so the worker pool runs) and a few small ones.
        int[][] shapes = [[3000, 100], [20, 20], [1, 20], [1, 1]];
        var ps = shapes.Select(s => Tensor.Full(s, 0.5, dtype).RequiresGrad_()).ToList();
        foreach (var p in ps) p.Grad = Tensor.FullLike(p, 0.25);
        var opt = OptimizerCases.Make(name, config, ps);
        int previous = StepThreads.MaxThreads;
        StepThreads.MaxThreads = 2;
        try
        {
            // Warm well past tiered compilation's promotions: while the runtime re-compiles hot methods it can
            // allocate on the calling thread. A window of 100 steps is measured three times and the smallest
            // count must be zero: an allocation made by the step itself would show in every window.
            for (int i = 0; i < 200; i++) opt.Step();
            long least = long.MaxValue;
            var windows = new long[3];
            for (int w = 0; w < windows.Length; w++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 100; i++) opt.Step();
                windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
                least = Math.Min(least, windows[w]);
            }
            Assert.True(least == 0, $"{name} config {config} {dtype}: 100 steps allocated {string.Join(", ", windows)} bytes");
        }
        finally
        {
            StepThreads.MaxThreads = previous;
        }
    }
}
