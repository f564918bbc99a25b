using Descent.Kernels;
using Descent.Optim;
using Descent.Optim.Kernels;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Steps spread over threads: the results are the same bits whatever the thread count, chunk length and threshold,
/// for large parameters cut into chunks, mid-sized ones and many small ones; exceptions in a chunk reach the caller.
/// </summary>
public class StepThreadsTests
{
    public static TheoryData<string, int, DType> Cases() => OptimizerCases.ChunkedDTypes();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResultsDoNotDependOnTheThreadCount(string name, int config, DType dtype)
    {
        var baseline = Run(name, config, dtype, threads: 1, chunk: 1 << 16, threshold: 1 << 17);
        foreach (var (threads, chunk, threshold) in new[] { (2, 4096, 0), (3, 1000, 0), (4, 1 << 16, 0), (2, 1 << 16, 1 << 17) })
        {
            var other = Run(name, config, dtype, threads, chunk, threshold);
            Assert.Equal(baseline.Count, other.Count);
            for (int i = 0; i < baseline.Count; i++)
                KernelTestData.AssertSameBits(baseline[i], other[i], $"{name} config {config} {dtype}, {threads} threads, chunks of {chunk}, tensor {i}");
        }
    }

    // Parameters of 1M (cut into chunks), 70K and 40 × 1000 elements and a tiny one, all 2-D so SparseAdam has rows;
    // three steps with fixed gradients in which every third row is zero. Returns params and state tensors, flattened.
    private static List<Tensor> Run(string name, int config, DType dtype, int threads, int chunk, int threshold)
    {
        int[][] shapes = [[10_001, 100], [7, 10_001], .. Enumerable.Repeat(new[] { 10, 100 }, 40), [1, 17]];
        var ps = new List<Tensor>();
        for (int k = 0; k < shapes.Length; k++)
        {
            int n = shapes[k][0] * shapes[k][1];
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Math.Sin(0.37 * i + k) * 0.5;
            ps.Add(Tensor.FromArray(v, shapes[k]).To(dtype).RequiresGrad_());
        }
        var opt = OptimizerCases.Make(name, config, ps);
        var (t0, c0, h0) = (StepThreads.MaxThreads, StepThreads.ChunkLength, StepThreads.ParallelThreshold);
        (StepThreads.MaxThreads, StepThreads.ChunkLength, StepThreads.ParallelThreshold) = (threads, chunk, threshold);
        try
        {
            for (int step = 0; step < 3; step++)
            {
                for (int k = 0; k < ps.Count; k++)
                {
                    int rows = shapes[k][0], cols = shapes[k][1];
                    var g = new double[rows * cols];
                    for (int r = 0; r < rows; r++)
                        if (r % 3 != step % 3)
                            for (int c = 0; c < cols; c++) g[r * cols + c] = Math.Cos(0.11 * (r * cols + c) + step + k);
                    ps[k].Grad = Tensor.FromArray(g, shapes[k]).To(dtype);
                }
                opt.Step();
            }
        }
        finally
        {
            (StepThreads.MaxThreads, StepThreads.ChunkLength, StepThreads.ParallelThreshold) = (t0, c0, h0);
        }
        var result = ps.Select(p => p.Detach().Clone()).ToList();
        foreach (var p in ps)
            foreach (var (_, v) in opt.State[p].ToStateDict())
                if (v is Tensor t) result.Add(t.Detach().Clone());
        return result;
    }

    [Fact]
    public void ChunkExceptionsReachTheCaller()
    {
        var work = new ThrowingWork();
        var e = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(work, 64, 3));
        Assert.Equal("chunk 13", e.Message);
        // The pool is usable again afterwards.
        var counter = new CountingWork();
        WorkerPool.Run(counter, 1000, 3);
        Assert.Equal(1000, counter.Count);
    }

    private sealed class ThrowingWork : ChunkWork
    {
        public override void RunChunk(int chunk)
        {
            if (chunk == 13) throw new InvalidOperationException("chunk 13");
        }
    }

    private sealed class CountingWork : ChunkWork
    {
        public int Count;
        public override void RunChunk(int chunk) => Interlocked.Increment(ref Count);
    }
}
