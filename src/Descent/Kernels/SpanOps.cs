using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>A unary elementwise op over contiguous spans of a floating-point type.</summary>
internal interface IUnarySpanOp
{
    /// <summary>d[i] = f(x[i]); <paramref name="d"/> may be <paramref name="x"/> itself.</summary>
    void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A binary elementwise op over contiguous spans, with the scalar-broadcast forms.</summary>
internal interface IBinarySpanOp
{
    /// <summary>d[i] = f(x[i], y[i]).</summary>
    void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>d[i] = f(x[i], y).</summary>
    void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>d[i] = f(x, y[i]).</summary>
    void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>The binary ops tensors use, mostly TensorPrimitives' own.</summary>
internal static class BinaryOps
{
    /// <summary>x + y.</summary>
    public readonly struct Add : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, d);
    }

    /// <summary>x - y.</summary>
    public readonly struct Sub : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
    }

    /// <summary>x * y.</summary>
    public readonly struct Mul : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, d);
    }

    /// <summary>x / y.</summary>
    public readonly struct Div : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
    }

    /// <summary>x ^ y.</summary>
    public readonly struct Pow : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // Squares are common (losses, variances) and exact as a product, as in PyTorch's pow fast path.
            if (y == T.CreateTruncating(2)) TensorPrimitives.Multiply(x, x, d);
            else if (y == T.One) x.CopyTo(d);
            else if (y == T.CreateTruncating(0.5)) TensorPrimitives.Sqrt(x, d);
            else TensorPrimitives.Pow(x, y, d);
        }
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
    }

    /// <summary>max(x, y), propagating NaN like <c>torch.maximum</c>.</summary>
    public readonly struct Maximum : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, d);
    }

    /// <summary>min(x, y), propagating NaN like <c>torch.minimum</c>.</summary>
    public readonly struct Minimum : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, d);
    }

    /// <summary>PyTorch's threshold_backward at 0: g where x &gt; 0 (or x is NaN), else 0 — the ReLU gradient.</summary>
    public readonly struct ThresholdGrad : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
            VectorMap.Map(g, x, d, new ThresholdGradOp<T>());
        public void Invoke<T>(ReadOnlySpan<T> g, T x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (x <= T.Zero) d.Clear();
            else g.CopyTo(d);
        }
        public void Invoke<T>(T g, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) d[i] = x[i] <= T.Zero ? T.Zero : g;
        }
    }

    internal readonly struct ThresholdGradOp<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T g, T x) => x <= T.Zero ? T.Zero : g;
        public System.Numerics.Vector<T> Invoke(System.Numerics.Vector<T> g, System.Numerics.Vector<T> x) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.LessThanOrEqual(x, System.Numerics.Vector<T>.Zero), System.Numerics.Vector<T>.Zero, g);
    }
}
