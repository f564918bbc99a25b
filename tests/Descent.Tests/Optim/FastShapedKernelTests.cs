using System.Numerics;
using Descent.Optim.Kernels;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// The fast kernels whose work depends on a shape, against their references bit for bit: SparseAdam's rows (per row
/// list, and per element range cutting rows apart), Adafactor (vector, factored matrix, batched) and Muon's
/// elementwise parts around its Newton–Schulz iteration; each in float32 and float64.
/// </summary>
public class FastShapedKernelTests
{
    [Theory]
    [InlineData(1, 40)]
    [InlineData(7, 30)]
    [InlineData(16, 25)]
    [InlineData(33, 20)]
    [InlineData(100, 50)]
    [InlineData(1000, 101)]
    public void SparseAdamRowsMatchReference(int rowLength, int rows)
    {
        SparseAdamRows<float>(rowLength, rows);
        SparseAdamRows<double>(rowLength, rows);
    }

    private static void SparseAdamRows<T>(int rowLength, int rows) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (bool maximize in new[] { false, true })
        {
            var h = SparseAdamHyper.For(5, 1e-3, 0.9, 0.999, 1e-8, maximize);
            var input = Buffers<T>([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive], rowLength * rows, seed: rowLength + rows);
            for (int r = 0; r < rows; r += 3) Array.Clear(input[1], r * rowLength, rowLength); // every third row absent
            int[] present = Enumerable.Range(0, rows).Where(r => input[1].AsSpan(r * rowLength, rowLength).ContainsAnyExcept(T.Zero)).ToArray();
            var expected = Clone(input);
            SparseAdamKernel.StepReference<T>(expected[0], expected[1], expected[2], expected[3], present, rowLength, h);
            foreach (int width in Widths)
            {
                var byRows = Clone(input);
                RunAtWidth(width, () => SparseAdamKernel.Step<T>(byRows[0], byRows[1], byRows[2], byRows[3], present, rowLength, h));
                var byRanges = Clone(input);
                // Ranges of 37 elements cut rows anywhere; each must update exactly its share of the present rows.
                RunAtWidth(width, () =>
                {
                    for (int start = 0; start < rowLength * rows; start += 37)
                        SparseAdamKernel.StepPresentRows<T>(byRanges[0], byRanges[1], byRanges[2], byRanges[3], rowLength, start,
                            Math.Min(37, rowLength * rows - start), h);
                });
                for (int b = 0; b < 4; b++)
                {
                    AssertSameBits(expected[b], byRows[b], $"SparseAdam {typeof(T).Name} rows of {rowLength}, width {width}, buffer {b}");
                    AssertSameBits(expected[b], byRanges[b], $"SparseAdam {typeof(T).Name} ranges, rows of {rowLength}, width {width}, buffer {b}");
                }
            }
        }
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 17 })]
    [InlineData(new[] { 1000 })]
    [InlineData(new[] { 100003 })]
    [InlineData(new[] { 1, 1 })]
    [InlineData(new[] { 3, 17 })]
    [InlineData(new[] { 16, 16 })]
    [InlineData(new[] { 33, 65 })]
    [InlineData(new[] { 200, 501 })]
    [InlineData(new[] { 2, 5, 19 })]
    public void AdafactorMatchesReference(int[] shape)
    {
        Adafactor<float>(shape);
        Adafactor<double>(shape);
    }

    private static void Adafactor<T>(int[] shape) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        int rows = shape.Length > 1 ? shape[^2] : 0, cols = shape.Length > 1 ? shape[^1] : 0;
        int rowLen = rows > 0 ? n / cols : 0, colLen = rows > 0 ? n / rows : 0;
        foreach (var (wd, maximize, step) in new[] { (0.0, false, 1L), (0.1, true, 6L) })
        {
            var h = AdafactorHyper.For(step, 1e-2, -0.8, AdafactorHyper.MachineEpsilon(typeof(T) == typeof(double)), 1e-3, 1.0, wd, maximize);
            var input = Buffers<T>([Fill.Signed, Fill.Signed], n, seed: n + (int)step);
            var state = Buffers<T>([Fill.Positive, Fill.Positive, Fill.Positive], 0, 0);
            state[0] = Buffers<T>([Fill.Positive], rowLen, 3)[0];
            state[1] = Buffers<T>([Fill.Positive], colLen, 4)[0];
            state[2] = Buffers<T>([Fill.Positive], rows > 0 ? 0 : n, 5)[0];
            T[][] Run(bool fast, int width)
            {
                T[] p = (T[])input[0].Clone(), rv = (T[])state[0].Clone(), cv = (T[])state[1].Clone(), v = (T[])state[2].Clone();
                var update = new T[n];
                RunAtWidth(width, () =>
                {
                    if (fast) AdafactorKernel.Step<T>(p, input[1], rv, cv, v, update, rows, cols, h);
                    else AdafactorKernel.StepReference<T>(p, input[1], rv, cv, v, update, rows, cols, h);
                });
                return [p, rv, cv, v];
            }
            var expected = Run(false, 0);
            foreach (int width in Widths)
            {
                var actual = Run(true, width);
                for (int b = 0; b < 4; b++) AssertSameBits(expected[b], actual[b], $"Adafactor {typeof(T).Name} [{string.Join(",", shape)}] wd={wd}, width {width}, buffer {b}");
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(16, 33)]
    [InlineData(40, 40)]
    [InlineData(37, 5)]
    public void MuonMatchesReference(int rows, int cols)
    {
        Muon<float>(rows, cols);
        Muon<double>(rows, cols);
    }

    private static void Muon<T>(int rows, int cols) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var (momentum, nesterov) in new[] { (0.95, true), (0.3, true), (0.95, false) })
        {
            var ns = new NewtonSchulzHyper(3.4445f, -4.775f, 2.0315f, 5, 1e-7f, false);
            var h = new MuonHyper(1 - momentum, momentum, nesterov, 0.9999, -0.02, ns);
            var input = Buffers<T>([Fill.Signed, Fill.Signed, Fill.Signed], rows * cols, seed: rows * cols);
            T[][] Run(bool fast, int width)
            {
                var b = Clone(input);
                var scratch = new T[MuonKernel.UpdateScratchLength(rows, cols)];
                var nsScratch = new float[MuonKernel.ScratchLength(rows, cols)];
                RunAtWidth(width, () =>
                {
                    if (fast) MuonKernel.Step<T>(b[0], b[1], b[2], scratch, nsScratch, rows, cols, h);
                    else MuonKernel.StepReference<T>(b[0], b[1], b[2], scratch, nsScratch, rows, cols, h);
                });
                return b;
            }
            var expected = Run(false, 0);
            foreach (int width in Widths)
            {
                var actual = Run(true, width);
                for (int b = 0; b < 3; b++) AssertSameBits(expected[b], actual[b], $"Muon {typeof(T).Name} {rows}x{cols} momentum {momentum}, width {width}, buffer {b}");
            }
        }
    }
}
