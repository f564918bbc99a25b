using System.Numerics;
using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// x·Wᵀ + b for a 2-D input, as one node: the product reads W in place as a transposed operand and the
    /// backward pass writes each gradient straight into a tensor of its final layout. It computes what
    /// <c>addmm(b, x, W.t())</c> computes, operation for operation, without the transpose and expand views and
    /// their nodes — the per-op cost that dominates small networks. Returns null when the operands need the
    /// general path (mixed or non-float dtypes, a weight that is not a contiguous matrix, a bias of another shape).
    /// </summary>
    internal static Tensor? LinearFused(Tensor input, Tensor weight, Tensor? bias)
    {
        var dtype = input.DType;
        if (input.Dim != 2 || weight.Dim != 2 || !weight.IsContiguous || weight.DType != dtype ||
            (dtype != DType.Float32 && dtype != DType.Float64))
            return null;
        int m = input.shape[0], k = input.shape[1], n = weight.shape[0];
        if (weight.shape[1] != k) return null;
        if (bias is not null && (bias.DType != dtype || bias.Dim != 1 || bias.shape[0] != n)) return null;

        var r = AllocateForOverwrite(dtype, [m, n]);
        if (dtype == DType.Float32) LinearInto<float>(input, weight, bias, r);
        else LinearInto<double>(input, weight, bias, r);

        bool needs = GradMode.IsEnabled && (input.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (!needs) return r;
        return bias is null
            ? Graph.Attach(r, new LinearBackward(input, weight, hasBias: false), input, weight)
            : Graph.Attach(r, new LinearBackward(input, weight, hasBias: true), bias, input, weight);
    }

    private static void LinearInto<T>(Tensor input, Tensor weight, Tensor? bias, Tensor r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = r.shape[0], n = r.shape[1], k = input.shape[1];
        var rs = r.AsSpan<T>();
        T beta = T.Zero;
        if (bias is not null)
        {
            // As addmm: the bias is copied into every row, then the product accumulates onto it.
            var b = bias.IsContiguous ? bias.Data<T>().AsSpan(bias.offset, n) : bias.Contiguous().Data<T>().AsSpan(0, n);
            for (int i = 0; i < m; i++) b.CopyTo(rs.Slice(i * n, n));
            beta = T.One;
        }
        if (m == 0 || n == 0) return;
        var (ta, lda, av) = MatrixOperand<T>(input);
        Gemm.Run(ta, true, m, n, k, T.One, av.Span, lda, weight.Data<T>().AsSpan(weight.offset, n * k), Math.Max(k, 1), beta, rs, n);
    }

    /// <summary>∂L/∂x = g·W ([m×k]).</summary>
    internal static Tensor LinearInputGrad(Tensor g, Tensor weight)
    {
        int m = g.shape[0], n = g.shape[1], k = weight.shape[1];
        var r = AllocateForOverwrite(g.DType, [m, k]);
        if (g.DType == DType.Float32) GradInputInto<float>(g, weight, r, m, n, k);
        else GradInputInto<double>(g, weight, r, m, n, k);
        return r;
    }

    private static void GradInputInto<T>(Tensor g, Tensor weight, Tensor r, int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || k == 0) return;
        var (tg, ldg, gv) = MatrixOperand<T>(g);
        Gemm.Run(tg, false, m, k, n, T.One, gv.Span, ldg, weight.Data<T>().AsSpan(weight.offset, n * k), k, T.Zero, r.AsSpan<T>(), k);
    }

    /// <summary>∂L/∂W = gᵀ·x ([n×k]), in W's own layout.</summary>
    internal static Tensor LinearWeightGrad(Tensor g, Tensor input)
    {
        int m = g.shape[0], n = g.shape[1], k = input.shape[1];
        var r = AllocateForOverwrite(g.DType, [n, k]);
        if (g.DType == DType.Float32) GradWeightInto<float>(g, input, r, m, n, k);
        else GradWeightInto<double>(g, input, r, m, n, k);
        return r;
    }

    private static void GradWeightInto<T>(Tensor g, Tensor input, Tensor r, int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0 || k == 0) return;
        var (tg, ldg, gv) = MatrixOperand<T>(g);
        var (tx, ldx, xv) = MatrixOperand<T>(input);
        // gᵀ: a row-major g is read transposed, a transposed one as it lies.
        Gemm.Run(!tg, tx, n, k, m, T.One, gv.Span, ldg, xv.Span, ldx, T.Zero, r.AsSpan<T>(), k);
    }
}
