using CsCheck;
using Descent.Kernels;
using Xunit;

namespace Descent.Tests.Kernels;

/// <summary>
/// The GEMM as properties, over any shape, transposes, leading dimensions, alpha and beta: within the rounding bound of
/// any summation order of a double-precision triple loop, the same bits at one and two threads, the padding of C never
/// written, C never read when beta is 0; NaN and infinities where the triple loop has them; and below the packing
/// threshold, exactly the triple loop's sequential k order.
/// </summary>
public class GemmTests
{
    /// <summary>C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C with row-major operands of the given leading dimensions.</summary>
    public sealed record Case(int M, int N, int K, bool TransA, bool TransB, int Lda, int Ldb, int Ldc, float Alpha, float Beta,
        float[] A, float[] B, float[] C)
    {
        public float OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
        public float OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];
        public override string ToString() =>
            $"{M}x{N}x{K} transA={TransA} transB={TransB} lda={Lda} ldb={Ldb} ldc={Ldc} alpha={Alpha:R} beta={Beta:R}";
    }

    // Around the packing threshold (48³) and the parallel one (80³).
    private static readonly Gen<(int M, int N, int K)> Cube = Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 100], (m, n, k) => (m, n, k));

    // The cube; past the 1024-deep k blocks; past the 1024-wide column blocks; tall products with few columns
    // (computed as Cᵀ).
    private static readonly Gen<(int M, int N, int K)> AnyShape = Gen.OneOf(
        Cube,
        Gen.Select(Gen.Int[1, 16], Gen.Int[1, 16], Gen.Int[1000, 2100], (m, n, k) => (m, n, k)),
        Gen.Select(Gen.Int[1, 16], Gen.Int[1000, 1100], Gen.Int[1, 64], (m, n, k) => (m, n, k)),
        Gen.Select(Gen.Int[100, 200], Gen.Int[1, 12], Gen.Int[100, 200], (m, n, k) => (m, n, k)));

    // Under 48³ multiply-adds: the products that skip packing.
    private static readonly Gen<(int M, int N, int K)> SmallShape = Gen.Select(Gen.Int[0, 40], Gen.Int[0, 40], Gen.Int[0, 40], (m, n, k) => (m, n, k));

    // [-1, 1) on a grid of 2⁻²², exactly (from [1, 2), where drawing is cheap: the operands hold up to 10⁵ values).
    private static readonly Gen<float> Unit = Gen.Float.OneTwo.Select(x => 2 * x - 3);

    // Mostly finite, with zeros (0·∞ is NaN) and non-finite values sprinkled in.
    private static readonly Gen<float> WithNonFinite = Gen.Frequency(
        (40, Unit), (2, Gen.Const(0f)), (1, Gen.OneOf(float.PositiveInfinity, float.NegativeInfinity, float.NaN)));

    // Alpha away from 0: the kernels scale a before the product (b·(alpha·a)), where a tiny alpha can underflow to 0
    // (and 0·∞ give NaN) when the triple loop's alpha·Σa·b does not.
    private static readonly Gen<float> Alpha = Gen.OneOf(Gen.Const(1f), Gen.Select(Gen.Float[0.5f, 2f], Gen.Bool, (a, negative) => negative ? -a : a));

    private static Gen<Case> Cases(Gen<(int M, int N, int K)> shapes, Gen<float> values) =>
        from shape in shapes
        from layout in Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3])
        from alpha in Alpha
        from beta in Gen.OneOf(Gen.Const(0f), Gen.Const(1f), Gen.Float[-2, 2])
        let m = shape.M
        let n = shape.N
        let k = shape.K
        let transA = layout.Item1
        let transB = layout.Item2
        let lda = Math.Max(1, (transA ? m : k) + layout.Item3)
        let ldb = Math.Max(1, (transB ? k : n) + layout.Item4)
        let ldc = n + layout.Item5
        from a in values.Array[(transA ? k : m) * lda]
        from b in values.Array[(transB ? n : k) * ldb]
        from c in values.Array[m * ldc]
        select new Case(m, n, k, transA, transB, lda, ldb, ldc, alpha, beta, a, b, c);

    [Fact]
    public void MatchesTheTripleLoopForAnyShape() => Cases(AnyShape, Unit).Sample(AssertMatchesTripleLoop, threads: 1);

    [Fact]
    public void NonFiniteValuesGoWhereTheTripleLoopPutsThem() => Cases(Cube, WithNonFinite).Sample(AssertMatchesTripleLoop, threads: 1);

    /// <summary>
    /// Each element within γ·(|alpha|·Σ|a·b| + |beta·c|) + (k + 4)·2⁻¹⁴⁹, γ = (k + 4)·2⁻²⁴: the bound on the rounding
    /// error of any order of summation (and of the alpha and beta products), with the absolute error of results that
    /// underflow; so blocking, packing and FMAs may reorder freely, but nothing more. Non-finite expectations must match in kind: NaN for NaN, the same infinity. One thread, then two
    /// (the thread count is process-wide, so the property runs on one thread of its own).
    /// </summary>
    private static void AssertMatchesTripleLoop(Case c)
    {
        var expected = (float[])c.C.Clone();
        var bound = new double[c.C.Length];
        var input = (float[])c.C.Clone();
        // beta = 0 must not read C: NaN there stays out of the result.
        if (c.Beta == 0)
            for (int i = 0; i < c.M; i++) input.AsSpan(i * c.Ldc, c.N).Fill(float.NaN);
        double gamma = (c.K + 4) * Math.ScaleB(1, -24);
        for (int i = 0; i < c.M; i++)
            for (int j = 0; j < c.N; j++)
            {
                double s = 0, abs = 0;
                for (int p = 0; p < c.K; p++)
                {
                    double t = (double)c.OpA(i, p) * c.OpB(p, j);
                    s += t;
                    abs += Math.Abs(t);
                }
                double bc = c.Beta == 0 ? 0 : (double)c.Beta * c.C[i * c.Ldc + j];
                expected[i * c.Ldc + j] = (float)(c.Alpha * s + bc);
                bound[i * c.Ldc + j] = gamma * (Math.Abs(c.Alpha) * abs + Math.Abs(bc)) + (c.K + 4) * Math.ScaleB(1, -149);
            }
        float[] Run(int threads)
        {
            var actual = (float[])input.Clone();
            int previous = Torch.GetNumThreads();
            Torch.SetNumThreads(threads);
            try { Gemm.Run(c.TransA, c.TransB, c.M, c.N, c.K, c.Alpha, c.A, c.Lda, c.B, c.Ldb, c.Beta, actual, c.Ldc); }
            finally { Torch.SetNumThreads(previous); }
            return actual;
        }
        var one = Run(1);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                int at = i * c.Ldc + j;
                float e = expected[at], a = one[at];
                bool ok = float.IsNaN(e) ? float.IsNaN(a) : float.IsInfinity(e) ? a == e : Math.Abs((double)a - e) <= bound[at];
                Assert.True(ok, $"C[{i},{j}] = {a:R}, the triple loop gives {e:R} (bound {bound[at]:E2})");
            }
            for (int j = c.N; j < c.Ldc; j++) Assert.True(input[i * c.Ldc + j].Equals(one[i * c.Ldc + j]), $"C[{i},{j}] in the padding was written");
        }
        Optim.KernelTestData.AssertSameBits(one, Run(2), "two threads against one", nanAsOne: true);
    }

    /// <summary>
    /// Small products (under the packing threshold) add the k products to 0, C or beta·C one after another, each
    /// rounded: the order the tutorial's goldens were matched in. Narrow C (dot products) and wide C (row axpy's)
    /// must agree with that sequential loop exactly, in float32 and float64.
    /// </summary>
    [Fact]
    public void SmallProductsAccumulateInKOrder() => Cases(SmallShape, Unit).Sample(c =>
    {
        var expected = (float[])c.C.Clone();
        var expectedD = Array.ConvertAll(c.C, v => (double)v);
        for (int i = 0; i < c.M; i++)
            for (int j = 0; j < c.N; j++)
            {
                float ci = c.C[i * c.Ldc + j], s = c.Beta == 0 ? 0f : c.Beta == 1 ? ci : ci * c.Beta;
                double sd = c.Beta == 0 ? 0 : c.Beta == 1 ? ci : ci * (double)c.Beta;
                for (int p = 0; p < c.K; p++)
                {
                    s += c.OpB(p, j) * (c.Alpha * c.OpA(i, p));
                    sd += c.OpB(p, j) * ((double)c.Alpha * c.OpA(i, p));
                }
                expected[i * c.Ldc + j] = s;
                expectedD[i * c.Ldc + j] = sd;
            }
        var actual = (float[])c.C.Clone();
        Gemm.Run(c.TransA, c.TransB, c.M, c.N, c.K, c.Alpha, c.A, c.Lda, c.B, c.Ldb, c.Beta, actual, c.Ldc);
        Optim.KernelTestData.AssertSameBits(expected, actual, "float32");
        // float64 takes the same path at every size.
        var actualD = Array.ConvertAll(c.C, v => (double)v);
        Gemm.Run(c.TransA, c.TransB, c.M, c.N, c.K, (double)c.Alpha, Array.ConvertAll(c.A, v => (double)v), c.Lda,
            Array.ConvertAll(c.B, v => (double)v), c.Ldb, (double)c.Beta, actualD, c.Ldc);
        Assert.Equal(expectedD, actualD);
    });

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
}
