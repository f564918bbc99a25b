using CsCheck;
using Descent.Optim.Kernels;
using Descent.Tests.Support;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// The fast kernels whose work depends on a shape, against their references bit for bit, as properties over shapes,
/// hyperparameters and values: SparseAdam's rows (per row list, and per element range cutting rows apart), Adafactor
/// (vector, factored matrix, batched) and Muon's elementwise parts around its Newton–Schulz iteration. A third of the
/// cases have moderate values only, since in a long buffer one NaN, infinity or huge value makes the norms and sums
/// over it infinite and hides what they do with the rest; a third have any finite values, a third NaN and infinities
/// too (NaNs compare as NaN). Each runs on one thread, since the vector width is process-wide.
/// </summary>
public class FastShapedKernelTests
{
    private static readonly Gen<long> Step = Gen.Long[1, 1000];
    private static readonly Gen<double> Lr = Gen.Double[-4, 0].Select(e => Math.Pow(10, e));
    private static readonly Gen<double> Beta = Gen.Double[0, 0.999];
    private static readonly Gen<double> Eps = Gen.Double[-10, -3].Select(e => Math.Pow(10, e));
    private static readonly Gen<Gen<float>> Values =
        Gen.Int[0, 2].Select(i => i switch { 0 => FloatGen.Moderate, 1 => FloatGen.Finite, _ => FloatGen.WithSpecials });

    [Fact]
    public void SparseAdamRowsMatchReference()
    {
        var hypers = Gen.Select(Step, Lr, Beta, Beta, Eps, Gen.Bool, SparseAdamHyper.For);
        var cases =
            from shape in Gen.Select(Gen.Int[1, 100], Gen.Int[0, 12])
            from absent in Gen.Bool.Array[shape.Item2]
            from values in Values
            from input in Buffers([Fill.Signed, Fill.Signed, Fill.Signed, Fill.Positive], shape.Item1 * shape.Item2, values)
            from range in Gen.Int[1, 64]
            from h in hypers
            select (RowLength: shape.Item1, Absent: absent, Input: input, Range: range, Hyper: h);
        cases.Sample(c =>
        {
            int rowLength = c.RowLength, rows = c.Absent.Length, n = rowLength * rows;
            var input = Clone(c.Input);
            for (int r = 0; r < rows; r++)
                if (c.Absent[r]) Array.Clear(input[1], r * rowLength, rowLength);
            // Present: a row of the gradient with a nonzero element, as PyTorch's grad.to_sparse(1) keeps.
            int[] present = Enumerable.Range(0, rows).Where(r => input[1].Skip(r * rowLength).Take(rowLength).Any(v => v != 0)).ToArray();
            var expected = Clone(input);
            SparseAdamKernel.StepReference(expected[0], expected[1], expected[2], expected[3], present, rowLength, c.Hyper);
            foreach (int width in Widths)
            {
                var byRows = Clone(input);
                RunAtWidth(width, () => SparseAdamKernel.Step(byRows[0], byRows[1], byRows[2], byRows[3], present, rowLength, c.Hyper));
                // Ranges cut rows anywhere; each must update exactly its share of the present rows.
                var byRanges = Clone(input);
                RunAtWidth(width, () =>
                {
                    for (int start = 0; start < n; start += c.Range)
                        SparseAdamKernel.StepPresentRows(byRanges[0], byRanges[1], byRanges[2], byRanges[3], rowLength, start, Math.Min(c.Range, n - start), c.Hyper);
                });
                for (int b = 0; b < 4; b++)
                {
                    AssertSameBits(expected[b], byRows[b], $"SparseAdam rows of {rowLength}, width {width}, buffer {b}", nanAsOne: true);
                    AssertSameBits(expected[b], byRanges[b], $"SparseAdam ranges of {c.Range}, rows of {rowLength}, width {width}, buffer {b}", nanAsOne: true);
                }
            }
        }, threads: 1);
    }

    [Fact]
    public void AdafactorMatchesReference()
    {
        // A vector (past the fused passes' 2048-element blocks), a matrix, or a batch of matrices.
        var shapes = Gen.OneOf(
            Gen.Int[1, 5000].Select(n => new[] { n }),
            Gen.Select(Gen.Int[1, 70], Gen.Int[1, 70], (r, c) => new[] { r, c }),
            Gen.Select(Gen.Int[1, 4], Gen.Int[1, 30], Gen.Int[1, 30], (b, r, c) => new[] { b, r, c }));
        var eps1 = Gen.Frequency((1, Gen.Const((double?)null)), (1, Eps.Select(e => (double?)e)));
        var hypers = Gen.Select(Step, Lr, Gen.Double[-1, -0.5], eps1, Eps, Gen.Double[0.5, 2], Gen.Frequency((1, Gen.Const(0.0)), (2, Gen.Double[0, 0.1])), Gen.Bool,
            AdafactorHyper.For);
        var cases =
            from shape in shapes
            let n = shape.Aggregate(1, (a, b) => a * b)
            let rows = shape.Length > 1 ? shape[^2] : 0
            let cols = shape.Length > 1 ? shape[^1] : 0
            from values in Values
            from input in Buffers([Fill.Signed, Fill.Signed], n, values)
            from rowVar in values.Select(MathF.Abs).Array[rows > 0 ? n / cols : 0]
            from colVar in values.Select(MathF.Abs).Array[rows > 0 ? n / rows : 0]
            from variance in values.Select(MathF.Abs).Array[rows > 0 ? 0 : n]
            from h in hypers
            select (Shape: shape, Rows: rows, Cols: cols, Buffers: (float[][])[.. input, rowVar, colVar, variance], Hyper: h);
        cases.Sample(c =>
        {
            float[][] Run(bool fast, int width)
            {
                var b = Clone(c.Buffers);
                var update = new float[b[0].Length];
                RunAtWidth(width, () =>
                {
                    if (fast) AdafactorKernel.Step(b[0], b[1], b[2], b[3], b[4], update, c.Rows, c.Cols, c.Hyper);
                    else AdafactorKernel.StepReference(b[0], b[1], b[2], b[3], b[4], update, c.Rows, c.Cols, c.Hyper);
                });
                return b;
            }
            var expected = Run(false, 0);
            foreach (int width in Widths)
            {
                var actual = Run(true, width);
                foreach (int b in new[] { 0, 2, 3, 4 })
                    AssertSameBits(expected[b], actual[b], $"Adafactor [{string.Join(",", c.Shape)}], width {width}, buffer {b}", nanAsOne: true);
            }
        }, threads: 1);
    }

    [Fact]
    public void MuonMatchesReference()
    {
        var hypers = Gen.Select(Beta, Gen.Bool, Gen.Double[0.9, 1], Gen.Double[-0.1, 0], Gen.Bool, (momentum, nesterov, decay, negLr, addmm) =>
            new MuonHyper((float)(1 - momentum), (float)momentum, nesterov, (float)decay, (float)negLr,
                new NewtonSchulzHyper(3.4445f, -4.775f, 2.0315f, 5, 1e-7f, addmm)));
        var cases =
            from shape in Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40])
            from values in Values
            from input in Buffers([Fill.Signed, Fill.Signed, Fill.Signed], shape.Item1 * shape.Item2, values)
            from h in hypers
            select (Rows: shape.Item1, Cols: shape.Item2, Input: input, Hyper: h);
        cases.Sample(c =>
        {
            float[][] Run(bool fast, int width)
            {
                var b = Clone(c.Input);
                var scratch = new float[MuonKernel.StepScratchLength(c.Rows, c.Cols)];
                RunAtWidth(width, () =>
                {
                    if (fast) MuonKernel.Step(b[0], b[1], b[2], scratch, c.Rows, c.Cols, c.Hyper);
                    else MuonKernel.StepReference(b[0], b[1], b[2], scratch, c.Rows, c.Cols, c.Hyper);
                });
                // The scratch starts with the Newton–Schulz input U: its bits are lost in the bfloat16 iteration, so
                // they are compared before it.
                return [.. b, scratch[..(c.Rows * c.Cols)]];
            }
            var expected = Run(false, 0);
            foreach (int width in Widths)
            {
                var actual = Run(true, width);
                for (int b = 0; b < 4; b++) AssertSameBits(expected[b], actual[b], $"Muon {c.Rows}x{c.Cols}, width {width}, buffer {b}", nanAsOne: true);
            }
        }, threads: 1);
    }
}
