using System.Numerics;
using System.Numerics.Tensors;

namespace Descent.Kernels;

/// <summary>The unary ops tensors use: TensorPrimitives where it has them, vector operators otherwise.</summary>
internal static class UnaryOps
{
    public readonly struct Neg : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, d);
    }

    public readonly struct Exp : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, d);
    }

    public readonly struct Log : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, d);
    }

    public readonly struct Sqrt : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, d);
    }

    public readonly struct Abs : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, d);
    }

    /// <summary>tanh(x), accurate near 0 (<see cref="AccurateMath"/>).</summary>
    public readonly struct Tanh : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => VectorMap.Map(x, d, new AccurateMath.TanhOp<T>());
    }

    public readonly struct Sigmoid : IUnarySpanOp
    {
        // TensorPrimitives.Sigmoid throws on empty spans (the other ops accept them), and an empty tensor has some.
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (!x.IsEmpty) TensorPrimitives.Sigmoid(x, d);
        }
    }

    public readonly struct Reciprocal : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Reciprocal(x, d);
    }

    public readonly struct Sin : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, d);
    }

    public readonly struct Cos : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, d);
    }

    /// <summary>log(1 + x), accurate near 0 (<see cref="AccurateMath"/>).</summary>
    public readonly struct Log1p : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => VectorMap.Map(x, d, new AccurateMath.Log1pOp<T>());
    }

    /// <summary>e^x - 1, accurate near 0 (<see cref="AccurateMath"/>).</summary>
    public readonly struct Expm1 : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => VectorMap.Map(x, d, new AccurateMath.Expm1Op<T>());
    }

    /// <summary>1 / √x.</summary>
    public readonly struct Rsqrt : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.ReciprocalSqrt(x, d);
    }

    /// <summary>sign(x) = (x &gt; 0) - (x &lt; 0): -1, 0 or 1, and 0 for NaN and -0, like PyTorch's CPU <c>torch.sign</c>.</summary>
    public readonly struct Sign : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => VectorMap.Map(x, d, new SignOp<T>());
    }

    /// <summary>max(x, 0).</summary>
    public readonly struct Relu : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => VectorMap.Map(x, d, new ReluOp<T>());
    }

    /// <summary>min(max(x, lo), hi); an absent bound is ±∞.</summary>
    public readonly struct Clamp(double min, double max) : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
            VectorMap.Map(x, d, new ClampOp<T>(T.CreateTruncating(min), T.CreateTruncating(max)));
    }

    /// <summary>log(1 + exp(beta x)) / beta, linear above the threshold, like <c>torch.nn.functional.softplus</c>.</summary>
    public readonly struct Softplus(double beta, double threshold) : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
            VectorMap.Map(x, d, new AccurateMath.SoftplusOp<T>(T.CreateTruncating(beta), T.CreateTruncating(threshold)));
    }

    internal readonly struct SignOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
        public Vector<T> Invoke(Vector<T> x)
        {
            var pos = Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
            var neg = Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
            return pos - neg;
        }
    }

    internal readonly struct ReluOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero);
        public Vector<T> Invoke(Vector<T> x) =>
            Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), Vector<T>.Zero, x);
    }

    internal readonly struct ClampOp<T>(T lo, T hi) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x)
        {
            // min(max(x, lo), hi) like PyTorch, so that lo > hi gives hi (as the vector form does).
            if (T.IsNaN(x)) return x;
            var r = x < lo ? lo : x;
            return r > hi ? hi : r;
        }
        public Vector<T> Invoke(Vector<T> x)
        {
            var r = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<T>(lo)), new Vector<T>(lo), x);
            return Vector.ConditionalSelect(Vector.GreaterThan(r, new Vector<T>(hi)), new Vector<T>(hi), r);
        }
    }
}
