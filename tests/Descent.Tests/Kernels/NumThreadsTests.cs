using Descent.Kernels;
using Descent.Optim.Kernels;
using Descent.Tests.Optim;
using Xunit;

namespace Descent.Tests.Kernels;

/// <summary>
/// One thread count for the whole library: <c>Torch.SetNumThreads</c> is what the GEMM and the optimizers' steps read,
/// and a multiply gives the same bits at every count.
/// </summary>
public class NumThreadsTests
{
    [Fact]
    public void OneSettingForTheGemmAndTheOptimizers()
    {
        int previous = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(3);
            Assert.Equal(3, Torch.GetNumThreads());
            Assert.Equal(3, StepThreads.MaxThreads);
            StepThreads.MaxThreads = 1;
            Assert.Equal(1, Torch.GetNumThreads());
            var e = Assert.Throws<ArgumentException>(() => Torch.SetNumThreads(0));
            Assert.Equal("set_num_threads expects a positive integer", e.Message);
            Assert.Equal(1, Torch.GetNumThreads());
        }
        finally
        {
            Torch.SetNumThreads(previous);
        }
    }

    [Theory]
    [InlineData(false, false, 301, 257, 190)]   // cut by rows
    [InlineData(true, true, 97, 640, 130)]      // cut by column panels
    [InlineData(false, true, 700, 5, 300)]      // few columns: computed as Cᵀ
    public void GemmBitsDoNotDependOnTheThreadCount(bool transA, bool transB, int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        var a = new float[m * k];
        var b = new float[k * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextSingle() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextSingle() - 0.5f;
        int lda = transA ? m : k, ldb = transB ? k : n;
        float[] Run(int threads)
        {
            var c = new float[m * n];
            int previous = Torch.GetNumThreads();
            Torch.SetNumThreads(threads);
            try { Gemm.Run(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n); }
            finally { Torch.SetNumThreads(previous); }
            return c;
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 4 })
            KernelTestData.AssertSameBits(one, Run(threads), $"{m}×{n}×{k}, {threads} threads");
    }
}
