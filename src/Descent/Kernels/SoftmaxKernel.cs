using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>
/// Softmax and log-softmax along one dimension of a contiguous tensor seen as [outer, n, inner], and their
/// backward passes. Rows are shifted by their maximum first, so large inputs cannot overflow exp.
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary>y = softmax(x) (or log_softmax) along the middle dimension.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0) return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) ForwardRow(x.Slice(o * n, n), y.Slice(o * n, n), log);
            return;
        }
        // Strided rows: gather each one into a scratch row, so the dense span routines do the work.
        var row = ArrayPool<T>.Shared.Rent(n);
        var outRow = ArrayPool<T>.Shared.Rent(n);
        try
        {
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    int start = o * n * inner + i;
                    for (int j = 0; j < n; j++) row[j] = x[start + j * inner];
                    ForwardRow(row.AsSpan(0, n), outRow.AsSpan(0, n), log);
                    for (int j = 0; j < n; j++) y[start + j * inner] = outRow[j];
                }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(row);
            ArrayPool<T>.Shared.Return(outRow);
        }
    }

    private static void ForwardRow<T>(ReadOnlySpan<T> x, Span<T> y, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        if (log)
        {
            // log_softmax = (x - max) - log Σ exp(x - max); exp goes to a scratch row so y keeps x - max.
            T[]? tmp = ArrayPool<T>.Shared.Rent(x.Length);
            try
            {
                var e = tmp.AsSpan(0, x.Length);
                TensorPrimitives.Exp(y, e);
                T lse = T.Log(TensorPrimitives.Sum<T>(e));
                TensorPrimitives.Subtract(y, lse, y);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(tmp);
            }
        }
        else
        {
            TensorPrimitives.Exp(y, y);
            // PyTorch multiplies by the reciprocal of the sum rather than dividing each element.
            T inv = T.One / TensorPrimitives.Sum<T>(y);
            TensorPrimitives.Multiply(y, inv, y);
        }
    }

    /// <summary>
    /// The input gradient from the output gradient <paramref name="g"/> and the output <paramref name="y"/>:
    /// softmax: y·(g − Σ g·y); log_softmax: g − exp(y)·Σ g.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> gx, int outer, int n, int inner, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == 0) return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) BackwardRow(g.Slice(o * n, n), y.Slice(o * n, n), gx.Slice(o * n, n), log);
            return;
        }
        var gr = ArrayPool<T>.Shared.Rent(n);
        var yr = ArrayPool<T>.Shared.Rent(n);
        var xr = ArrayPool<T>.Shared.Rent(n);
        try
        {
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    int start = o * n * inner + i;
                    for (int j = 0; j < n; j++)
                    {
                        gr[j] = g[start + j * inner];
                        yr[j] = y[start + j * inner];
                    }
                    BackwardRow(gr.AsSpan(0, n), yr.AsSpan(0, n), xr.AsSpan(0, n), log);
                    for (int j = 0; j < n; j++) gx[start + j * inner] = xr[j];
                }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(gr);
            ArrayPool<T>.Shared.Return(yr);
            ArrayPool<T>.Shared.Return(xr);
        }
    }

    private static void BackwardRow<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> gx, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (log)
        {
            T sum = TensorPrimitives.Sum(g);
            TensorPrimitives.Exp(y, gx);
            TensorPrimitives.Multiply(gx, -sum, gx);
            TensorPrimitives.Add(gx, g, gx);
        }
        else
        {
            T dot = TensorPrimitives.Dot(g, y);
            TensorPrimitives.Subtract(g, dot, gx);
            TensorPrimitives.Multiply(gx, y, gx);
        }
    }
}
