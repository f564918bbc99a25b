using System.Numerics;

namespace Descent.Kernels;

/// <summary>
/// An elementwise unary operator with a scalar and a vector form, run over spans by <see cref="VectorMap"/>.
/// Parameters (a clamp's bounds, an exponent) are fields of the implementing readonly struct.
/// </summary>
internal interface IUnaryOperator<T> where T : unmanaged
{
    /// <summary>The operator on one element.</summary>
    T Invoke(T x);

    /// <summary>The operator on a vector of elements.</summary>
    Vector<T> Invoke(Vector<T> x);
}

/// <summary>An elementwise binary operator with a scalar and a vector form.</summary>
internal interface IBinaryOperator<T> where T : unmanaged
{
    /// <summary>The operator on one pair of elements.</summary>
    T Invoke(T x, T y);

    /// <summary>The operator on vectors of elements.</summary>
    Vector<T> Invoke(Vector<T> x, Vector<T> y);
}

/// <summary>
/// The generic drivers that run operators over spans, a vector at a time, then the tail: tensor math for the ops
/// TensorPrimitives lacks. (Optimizer updates, which read and write several buffers at once and must give the same
/// bits at every vector width, have their own driver, <see cref="Optim.Kernels.Elementwise"/>.)
/// </summary>
internal static class VectorMap
{
    /// <summary>dst[i] = op(x[i]).</summary>
    public static void Map<T, TOp>(ReadOnlySpan<T> x, Span<T> dst, TOp op)
        where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            for (; i <= x.Length - w; i += w)
                op.Invoke(new Vector<T>(x.Slice(i, w))).CopyTo(dst.Slice(i, w));
        }
        for (; i < x.Length; i++) dst[i] = op.Invoke(x[i]);
    }

    /// <summary>dst[i] = op(x[i], y[i]).</summary>
    public static void Map<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> dst, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            for (; i <= x.Length - w; i += w)
                op.Invoke(new Vector<T>(x.Slice(i, w)), new Vector<T>(y.Slice(i, w))).CopyTo(dst.Slice(i, w));
        }
        for (; i < x.Length; i++) dst[i] = op.Invoke(x[i], y[i]);
    }

    /// <summary>dst[i] = op(x[i], y).</summary>
    public static void Map<T, TOp>(ReadOnlySpan<T> x, T y, Span<T> dst, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            var vy = new Vector<T>(y);
            for (; i <= x.Length - w; i += w)
                op.Invoke(new Vector<T>(x.Slice(i, w)), vy).CopyTo(dst.Slice(i, w));
        }
        for (; i < x.Length; i++) dst[i] = op.Invoke(x[i], y);
    }

    /// <summary>dst[i] = op(x, y[i]).</summary>
    public static void Map<T, TOp>(T x, ReadOnlySpan<T> y, Span<T> dst, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            int w = Vector<T>.Count;
            var vx = new Vector<T>(x);
            for (; i <= y.Length - w; i += w)
                op.Invoke(vx, new Vector<T>(y.Slice(i, w))).CopyTo(dst.Slice(i, w));
        }
        for (; i < y.Length; i++) dst[i] = op.Invoke(x, y[i]);
    }
}
