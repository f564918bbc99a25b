using System.Numerics;

namespace Descent.Kernels;

/// <summary>
/// tanh, expm1 and log1p accurate to a few ulps everywhere, near 0 in particular. TensorPrimitives' versions lose
/// digits there (its float tanh gives -0 for 1e-8 and is 0.5% off at 1e-5; LogP1 and ExpM1 are log(1 + x) and
/// exp(x) - 1, so log1p(1e-10) keeps only 7 digits), while PyTorch's are accurate to about one ulp. Near 0 these use
/// Cephes' rational approximations (measured against the C library: at most 2 ulps for tanh, 3 for expm1 in float64;
/// 1 and 3.4 in float32) and log1p uses Goldberg's log(u)·x/(u − 1), u = 1 + x; away from 0 the plain formulas are
/// accurate. The scalar form runs the vector form on a broadcast vector, so an element's bits do not depend on
/// whether it fell in a span's vector part or its tail.
/// </summary>
internal static class AccurateMath
{
    /// <summary>tanh(x): x + x·z·P(z)/Q(z), z = x², for |x| &lt; 0.625; ±(1 − 2/(e^{2|x|} + 1)) beyond.</summary>
    internal readonly struct TanhOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => Invoke(new Vector<T>(x))[0];

        public Vector<T> Invoke(Vector<T> x)
        {
            var a = Vector.Abs(x);
            var z = x * x;
            var p = (V<T>.C(-9.64399179425052238628E-1) * z + V<T>.C(-9.92877231001918586564E1)) * z + V<T>.C(-1.61468768441708447952E3);
            var q = ((z + V<T>.C(1.12811678491632931402E2)) * z + V<T>.C(2.23548839060100448583E3)) * z + V<T>.C(4.84406305325125486048E3);
            var small = x + x * z * p / q;
            var large = Vector<T>.One - V<T>.C(2) / (V<T>.Exp(a + a) + Vector<T>.One);
            large = Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), -large, large);
            return Vector.ConditionalSelect(Vector.LessThan(a, V<T>.C(0.625)), small, large);
        }
    }

    /// <summary>e^x − 1: 2r, r = x·P(x²)/(Q(x²) − x·P(x²)), for |x| ≤ 0.5; exp(x) − 1 beyond.</summary>
    internal readonly struct Expm1Op<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => Invoke(new Vector<T>(x))[0];

        public Vector<T> Invoke(Vector<T> x)
        {
            var xx = x * x;
            var r = ((V<T>.C(1.2617719307481059087798E-4) * xx + V<T>.C(3.0299440770744196129956E-2)) * xx + V<T>.C(9.9999999999999999991025E-1)) * x;
            var q = ((V<T>.C(3.0019850513866445504159E-6) * xx + V<T>.C(2.5244834034968410419224E-3)) * xx + V<T>.C(2.2726554820815502876593E-1)) * xx + V<T>.C(2.0000000000000000000897E0);
            r /= q - r;
            var small = r + r;
            var large = V<T>.Exp(x) - Vector<T>.One;
            return Vector.ConditionalSelect(Vector.LessThanOrEqual(Vector.Abs(x), V<T>.C(0.5)), small, large);
        }
    }

    /// <summary>log(1 + x) = log(u)·x/(u − 1) with u = 1 + x rounded; x itself where u rounds to 1.</summary>
    internal readonly struct Log1pOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => Invoke(new Vector<T>(x))[0];

        public Vector<T> Invoke(Vector<T> x)
        {
            var u = x + Vector<T>.One;
            var g = V<T>.Log(u) * (x / (u - Vector<T>.One));
            // u = +∞ (x = +∞) makes x/(u − 1) NaN; log1p(∞) is ∞.
            g = Vector.ConditionalSelect(Vector.Equals(u, new Vector<T>(T.PositiveInfinity)), u, g);
            return Vector.ConditionalSelect(Vector.Equals(u, Vector<T>.One), x, g);
        }
    }

    /// <summary>
    /// softplus(x) = log1p(e^{βx})/β, and x itself where βx is above the threshold, as <c>F.softplus</c>; log1p, not
    /// log(1 + ·), which is 0 once e^{βx} is below the dtype's epsilon.
    /// </summary>
    internal readonly struct SoftplusOp<T>(T beta, T threshold) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => Invoke(new Vector<T>(x))[0];

        public Vector<T> Invoke(Vector<T> x)
        {
            var b = new Vector<T>(beta);
            var bx = x * b;
            var soft = new Log1pOp<T>().Invoke(V<T>.Exp(bx)) / b;
            return Vector.ConditionalSelect(Vector.GreaterThan(bx, new Vector<T>(threshold)), x, soft);
        }
    }

    // The constants and the vector exp and log of the element type.
    private static class V<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> C(double c) => new(T.CreateTruncating(c));

        public static Vector<T> Exp(Vector<T> v)
        {
            if (typeof(T) == typeof(float)) return Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(v)));
            if (typeof(T) == typeof(double)) return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(v)));
            throw new NotSupportedException(typeof(T).Name);
        }

        public static Vector<T> Log(Vector<T> v)
        {
            if (typeof(T) == typeof(float)) return Vector.As<float, T>(Vector.Log(Vector.As<T, float>(v)));
            if (typeof(T) == typeof(double)) return Vector.As<double, T>(Vector.Log(Vector.As<T, double>(v)));
            throw new NotSupportedException(typeof(T).Name);
        }
    }
}
