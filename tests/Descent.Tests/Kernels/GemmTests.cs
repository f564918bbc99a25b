using Descent.Kernels;
using Xunit;

namespace Descent.Tests.Kernels;

/// <summary>The blocked GEMM against a double-precision triple loop, over shapes that hit every edge case.</summary>
public class GemmTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        var d = new TheoryData<int, int, int, bool, bool>();
        (int, int, int)[] shapes =
        [
            (1, 1, 1), (3, 5, 7), (32, 20, 1), (32, 1, 20), (8, 32, 128), (9, 33, 129), (100, 70, 300),
            (144, 64, 64), (145, 65, 257), (257, 31, 5), (5, 300, 200), (300, 2, 700), (64, 64, 0),
            (130, 10, 600), (250, 12, 300), (13, 700, 40), (256, 96, 520), (40, 70, 1100), (8, 1100, 20),
        ];
        foreach (var (m, n, k) in shapes)
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    d.Add(m, n, k, ta, tb);
        return d;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReference(int m, int n, int k, bool transA, bool transB) => Check(m, n, k, transA, transB, -0.5f);

    /// <summary>beta = 0 must not read C (NaN there stays out), beta = 1 adds to it: both skip the scaling pass.</summary>
    [Theory]
    [InlineData(100, 70, 300, 0f)]
    [InlineData(300, 2, 700, 0f)]
    [InlineData(145, 65, 520, 0f)]
    [InlineData(100, 70, 300, 1f)]
    [InlineData(300, 2, 700, 1f)]
    [InlineData(145, 65, 520, 1f)]
    [InlineData(30, 50, 2100, 0f)]
    [InlineData(30, 5, 2100, 1f)]
    public void BetaZeroAndOne(int m, int n, int k, float beta)
    {
        Check(m, n, k, false, false, beta);
        Check(m, n, k, true, true, beta);
    }

    private static void Check(int m, int n, int k, bool transA, bool transB, float beta)
    {
        var rng = new Random(m * 7919 + n * 31 + k);
        int lda = transA ? m + 3 : k + 2, ldb = transB ? k + 1 : n + 4, ldc = n + 5;
        var a = Fill(rng, (transA ? k : m) * lda);
        var b = Fill(rng, (transB ? n : k) * ldb);
        var c = Fill(rng, m * ldc);
        if (beta == 0)
            for (int i = 0; i < m; i++) c.AsSpan(i * ldc, n).Fill(float.NaN);
        var expected = (float[])c.Clone();
        float alpha = 0.75f;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                expected[i * ldc + j] = (float)(alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]));
            }
        foreach (int threads in new[] { 1, 2 })
        {
            var actual = (float[])c.Clone();
            int previous = Torch.GetNumThreads();
            Torch.SetNumThreads(threads);
            try { Gemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc); }
            finally { Torch.SetNumThreads(previous); }
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                    Assert.True(Math.Abs(expected[i * ldc + j] - actual[i * ldc + j]) <= 1e-4 * Math.Sqrt(k + 1),
                        $"C[{i},{j}] = {actual[i * ldc + j]}, expected {expected[i * ldc + j]} (threads {threads})");
                // The padding between rows of C is never written.
                for (int j = n; j < ldc && i * ldc + j < c.Length; j++) Assert.Equal(c[i * ldc + j], actual[i * ldc + j]);
            }
        }
    }

    /// <summary>
    /// Small products (under the packing threshold) add the k products to 0, C or beta·C one after another, each
    /// rounded: the order the tutorial's goldens were matched in. Narrow C (dot products) and wide C (row axpy's)
    /// must agree with that sequential loop exactly.
    /// </summary>
    [Theory]
    [InlineData(32, 1, 20, false, false, 1f, 0f)]
    [InlineData(20, 1, 32, true, false, 1f, 0f)]
    [InlineData(1, 20, 32, true, false, 1f, 1f)]
    [InlineData(32, 20, 1, false, true, 1f, 1f)]
    [InlineData(7, 5, 9, true, true, 0.75f, -0.5f)]
    [InlineData(9, 13, 6, false, true, -1.5f, 2f)]
    [InlineData(5, 3, 0, false, false, 1f, 0.5f)]
    public void SmallProductsAccumulateInKOrder(int m, int n, int k, bool transA, bool transB, float alpha, float beta)
    {
        var rng = new Random(m + 31 * n + 961 * k);
        int lda = transA ? m + 1 : k + 2, ldb = transB ? k + 3 : n + 1, ldc = n + 2;
        var a = Fill(rng, Math.Max((transA ? k : m) * lda, 1));
        var b = Fill(rng, Math.Max((transB ? n : k) * ldb, 1));
        var c = Fill(rng, m * ldc);
        var expected = (float[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = beta == 0 ? 0f : beta == 1 ? c[i * ldc + j] : c[i * ldc + j] * beta;
                for (int p = 0; p < k; p++)
                    s += (transB ? b[j * ldb + p] : b[p * ldb + j]) * (alpha * (transA ? a[p * lda + i] : a[i * lda + p]));
                expected[i * ldc + j] = s;
            }
        var actual = (float[])c.Clone();
        Gemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc);
        Assert.Equal(expected, actual);

        // float64 takes the same path at every size.
        var ad = Array.ConvertAll(a, v => (double)v);
        var bd = Array.ConvertAll(b, v => (double)v);
        var cd = Array.ConvertAll(c, v => (double)v);
        var expectedD = (double[])cd.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = beta == 0 ? 0 : beta == 1 ? cd[i * ldc + j] : cd[i * ldc + j] * beta;
                for (int p = 0; p < k; p++)
                    s += (transB ? bd[j * ldb + p] : bd[p * ldb + j]) * (alpha * (transA ? ad[p * lda + i] : ad[i * lda + p]));
                expectedD[i * ldc + j] = s;
            }
        Gemm.Run(transA, transB, m, n, k, (double)alpha, ad, lda, bd, ldb, (double)beta, cd, ldc);
        Assert.Equal(expectedD, cd);
    }

    [Fact]
    public void BetaZeroIgnoresNanInC()
    {
        foreach (int n in new[] { 1, 12 })
        {
            var c = new float[3 * n];
            Array.Fill(c, float.NaN);
            var a = new float[] { 1, 2, 3 };
            var b = new float[n];
            Array.Fill(b, 2f);
            Gemm.Run(false, false, 3, n, 1, 1f, a, 1, b, n, 0f, c, n);
            Assert.Equal([2f, 4f, 6f], new[] { c[0], c[n], c[2 * n] });
        }
    }

    private static float[] Fill(Random rng, int n)
    {
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = (float)(rng.NextDouble() * 2 - 1);
        return r;
    }
}
