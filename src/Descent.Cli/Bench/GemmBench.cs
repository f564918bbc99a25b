using System.Diagnostics;
using Descent.Kernels;

namespace Descent.Cli.Bench;

/// <summary>One GEMM measurement.</summary>
public sealed record GemmResult(int M, int N, int K, int Threads, double Gflops);

/// <summary>Measures float32 GEMM throughput (C = A·B, row-major) for square sizes and the tutorial/MLP shapes.</summary>
public static class GemmBench
{
    /// <summary>The shapes measured by default: squares 128…2048, then the MLPs' layer products.</summary>
    public static readonly (int M, int N, int K)[] DefaultShapes =
    [
        (128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
        (128, 256, 784), (128, 128, 256), (128, 10, 128),   // Fashion-MNIST MLP forward, batch 128
        (784, 256, 128), (256, 128, 128),                    // its weight gradients
        (32, 20, 1), (32, 1, 20),                            // the tutorial's 1-20-1 net, batch 32
    ];

    /// <summary>Best-of-several GFLOP/s for C[m×n] = A[m×k]·B[k×n].</summary>
    public static GemmResult Measure(int m, int n, int k, int threads, double seconds = 0.25)
    {
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        var rng = new Random(1);
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextDouble() - 0.5f;
        int previous = Torch.GetNumThreads();
        Torch.SetNumThreads(threads);
        try
        {
            Gemm.Run(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            double flops = 2.0 * m * n * k;
            int reps = Math.Max(1, (int)Math.Min(100_000, 2e8 / Math.Max(flops, 1)));
            double best = double.MaxValue;
            var total = Stopwatch.StartNew();
            do
            {
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) Gemm.Run(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                best = Math.Min(best, sw.Elapsed.TotalSeconds / reps);
            } while (total.Elapsed.TotalSeconds < seconds);
            return new GemmResult(m, n, k, threads, flops / best / 1e9);
        }
        finally
        {
            Torch.SetNumThreads(previous);
        }
    }
}
