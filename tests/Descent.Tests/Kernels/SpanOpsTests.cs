using System.Numerics;
using System.Runtime.CompilerServices;
using CsCheck;
using Descent.Kernels;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Kernels;

/// <summary>
/// The elementwise span ops tensors run, as properties over any length (whole vectors and every tail) and any values,
/// NaN, infinities, ±0 and subnormals included, in float32 and float64: each element is the op's scalar definition,
/// computed in double and rounded. Ops that IEEE arithmetic rounds correctly (negation, abs, √, 1/x, +, −, ×, ÷, max,
/// min, and the selects) give those bits exactly (NaNs compare as NaN); the transcendental ones TensorPrimitives
/// approximates come within a few ulps, with NaN and the infinities where the definition has them.
/// </summary>
public class SpanOpsTests
{
    private static readonly Gen<int> Length = Gen.Int[0, 70];

    /// <summary>
    /// How close an op comes to its definition: bit for bit (<see cref="Exact"/>), or within <paramref name="Ulps"/>
    /// ulps of it plus the smallest normal number (below which results lose precision gradually), plus
    /// <paramref name="NearZero"/> machine epsilons for ops accurate only in absolute terms near 0.
    /// </summary>
    private sealed record Accuracy(int Ulps, int NearZero = 0)
    {
        public static readonly Accuracy Exact = new(0);
    }

    private sealed record Unary(IUnarySpanOp Op, Func<double, double> Definition, Accuracy Accuracy);

    /// <summary>A binary op, its definition, and for the form with a scalar second operand, its own definition if it has one.</summary>
    private sealed record Binary(IBinarySpanOp Op, Func<double, double, double> Definition, Accuracy Accuracy, Func<double, double, double>? WithScalar = null);

    private static readonly Accuracy Approximate = new(4);

    // TensorPrimitives' tanh, log1p and expm1 lose relative accuracy near 0, where PyTorch's keep it: tanh(1e-8) is 0,
    // and log1p and expm1 are log(1 + x) and exp(x) − 1 as .NET's own float.LogP1 and float.ExpM1 compute them, so
    // log1p(1e-8) is 0 and expm1(1e-8) is 1.19e-7. Their error is small against 1, not against the result.
    private static readonly Accuracy AbsoluteNearZero = new(4, NearZero: 2);

    private static readonly Dictionary<string, Unary> UnaryOps = new()
    {
        ["neg"] = new(new UnaryOps.Neg(), x => -x, Accuracy.Exact),
        ["abs"] = new(new UnaryOps.Abs(), Math.Abs, Accuracy.Exact),
        ["sqrt"] = new(new UnaryOps.Sqrt(), Math.Sqrt, Accuracy.Exact),
        ["reciprocal"] = new(new UnaryOps.Reciprocal(), x => 1 / x, Accuracy.Exact),
        // PyTorch's CPU sign: 0 for NaN and for −0.
        ["sign"] = new(new UnaryOps.Sign(), x => x > 0 ? 1 : x < 0 ? -1 : 0, Accuracy.Exact),
        ["relu"] = new(new UnaryOps.Relu(), x => double.IsNaN(x) ? x : x > 0 ? x : 0, Accuracy.Exact),
        // min(max(x, lo), hi) as std::min and std::max: NaN stays, and lo > hi gives hi.
        ["clamp(-0.5, 2)"] = new(new UnaryOps.Clamp(-0.5, 2), x => Clamp(x, -0.5, 2), Accuracy.Exact),
        ["clamp(3, -1)"] = new(new UnaryOps.Clamp(3, -1), x => Clamp(x, 3, -1), Accuracy.Exact),
        ["clamp(-inf, 0)"] = new(new UnaryOps.Clamp(double.NegativeInfinity, 0), x => Clamp(x, double.NegativeInfinity, 0), Accuracy.Exact),
        ["exp"] = new(new UnaryOps.Exp(), Math.Exp, Approximate),
        ["log"] = new(new UnaryOps.Log(), Math.Log, Approximate),
        ["sigmoid"] = new(new UnaryOps.Sigmoid(), x => 1 / (1 + Math.Exp(-x)), Approximate),
        ["sin"] = new(new UnaryOps.Sin(), Math.Sin, Approximate),
        ["cos"] = new(new UnaryOps.Cos(), Math.Cos, Approximate),
        ["rsqrt"] = new(new UnaryOps.Rsqrt(), x => 1 / Math.Sqrt(x), Approximate),
        ["tanh"] = new(new UnaryOps.Tanh(), Math.Tanh, AbsoluteNearZero),
        ["log1p"] = new(new UnaryOps.Log1p(), Log1p, AbsoluteNearZero),
        ["expm1"] = new(new UnaryOps.Expm1(), Expm1, AbsoluteNearZero),
    };

    private static readonly Dictionary<string, Binary> BinaryOps = new()
    {
        ["add"] = new(new BinaryOps.Add(), (x, y) => x + y, Accuracy.Exact),
        ["sub"] = new(new BinaryOps.Sub(), (x, y) => x - y, Accuracy.Exact),
        ["mul"] = new(new BinaryOps.Mul(), (x, y) => x * y, Accuracy.Exact),
        ["div"] = new(new BinaryOps.Div(), (x, y) => x / y, Accuracy.Exact),
        // IEEE 754-2019 maximum and minimum: NaN if either is, +0 above −0.
        ["maximum"] = new(new BinaryOps.Maximum(), Math.Max, Accuracy.Exact),
        ["minimum"] = new(new BinaryOps.Minimum(), Math.Min, Accuracy.Exact),
        // threshold_backward at 0: the gradient where x > 0 or x is NaN, else 0.
        ["threshold_grad"] = new(new BinaryOps.ThresholdGrad(), (g, x) => x <= 0 ? 0 : g, Accuracy.Exact),
        // With a scalar exponent, PyTorch's fast paths: x·x for 2, x for 1, √x for 0.5.
        ["pow"] = new(new BinaryOps.Pow(), Math.Pow, Approximate, (x, y) => y switch { 2 => x * x, 1 => x, 0.5 => Math.Sqrt(x), _ => Math.Pow(x, y) }),
    };

    public static TheoryData<string> UnaryNames() => [.. UnaryOps.Keys];

    public static TheoryData<string> BinaryNames() => [.. BinaryOps.Keys];

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryOpIsItsScalarDefinition(string name)
    {
        var u = UnaryOps[name];
        AssertUnary(name, u, FloatGen.WithSpecials);
        AssertUnary(name, u, FloatGen.DoubleWithSpecials);
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void BinaryOpIsItsScalarDefinition(string name)
    {
        var b = BinaryOps[name];
        AssertBinary(name, b, FloatGen.WithSpecials);
        AssertBinary(name, b, FloatGen.DoubleWithSpecials);
    }

    /// <summary>
    /// pow with a scalar exponent takes PyTorch's fast paths, exactly: x·x for 2, x for 1, √x for 0.5 (so pow(−0, 0.5)
    /// is −0 and pow(−∞, 0.5) NaN, where Math.Pow gives +0 and +∞).
    /// </summary>
    [Fact]
    public void PowFastPathsAreExact()
    {
        foreach (var (exponent, definition) in new (double, Func<double, double>)[] { (2, x => x * x), (1, x => x), (0.5, Math.Sqrt) })
        {
            AssertUnary($"pow(x, {exponent})", new(new ScalarExponent(exponent), definition, Accuracy.Exact), FloatGen.WithSpecials);
            AssertUnary($"pow(x, {exponent})", new(new ScalarExponent(exponent), definition, Accuracy.Exact), FloatGen.DoubleWithSpecials);
        }
    }

    private readonly struct ScalarExponent(double exponent) : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> =>
            new BinaryOps.Pow().Invoke(x, T.CreateTruncating(exponent), d);
    }

    // log1p and expm1 in double, accurate near 0 (Goldberg's and Kahan's corrections of log(1 + x) and exp(x) − 1).
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : double.IsInfinity(u) ? Math.Log(u) : Math.Log(u) * (x / (u - 1));
    }

    private static double Expm1(double x)
    {
        double u = Math.Exp(x);
        return u == 1 ? x : u - 1 == -1 ? -1 : double.IsInfinity(u) ? u : (u - 1) * (x / Math.Log(u));
    }

    private static double Clamp(double x, double lo, double hi)
    {
        if (double.IsNaN(x)) return x;
        double r = x < lo ? lo : x;
        return r > hi ? hi : r;
    }

    private static void AssertUnary<T>(string name, Unary u, Gen<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Length.SelectMany(n => values.Array[n]).Sample(x =>
        {
            var d = new T[x.Length];
            u.Op.Invoke<T>(x, d);
            var inPlace = (T[])x.Clone();
            u.Op.Invoke<T>(inPlace, inPlace);
            // In place is checked against the definition too, not against the other result: TensorPrimitives splits a
            // span by its alignment, and its approximations can differ in the last bit from one split to another.
            for (int i = 0; i < x.Length; i++)
            {
                var expected = T.CreateTruncating(u.Definition(double.CreateTruncating(x[i])));
                AssertClose(expected, d[i], u.Accuracy, $"{typeof(T).Name} {name}({x[i]:R}), element {i} of {x.Length}");
                AssertClose(expected, inPlace[i], u.Accuracy, $"{typeof(T).Name} {name}({x[i]:R}) in place, element {i} of {x.Length}");
            }
        });

    // Each of the three forms: span with span, span with scalar, scalar with span.
    private static void AssertBinary<T>(string name, Binary b, Gen<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Length.SelectMany(n => Gen.Select(values.Array[n], values.Array[n], values)).Sample((x, y, s) =>
        {
            int n = x.Length;
            T[] xy = new T[n], xs = new T[n], sy = new T[n];
            b.Op.Invoke<T>(x, y, xy);
            b.Op.Invoke<T>(x, s, xs);
            b.Op.Invoke<T>(s, y, sy);
            T Expected(T l, T r, Func<double, double, double> f) => T.CreateTruncating(f(double.CreateTruncating(l), double.CreateTruncating(r)));
            for (int i = 0; i < n; i++)
            {
                AssertClose(Expected(x[i], y[i], b.Definition), xy[i], b.Accuracy, $"{typeof(T).Name} {name}({x[i]:R}, {y[i]:R}), element {i} of {n}");
                AssertClose(Expected(x[i], s, b.WithScalar ?? b.Definition), xs[i], b.Accuracy, $"{typeof(T).Name} {name}({x[i]:R}, scalar {s:R}), element {i} of {n}");
                AssertClose(Expected(s, y[i], b.Definition), sy[i], b.Accuracy, $"{typeof(T).Name} {name}(scalar {s:R}, {y[i]:R}), element {i} of {n}");
            }
        });

    /// <summary>NaN for NaN; exact bits, or the same infinity and a finite value within the accuracy's bound.</summary>
    private static void AssertClose<T>(T expected, T actual, Accuracy accuracy, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool ok;
        if (T.IsNaN(expected) || T.IsNaN(actual)) ok = T.IsNaN(expected) && T.IsNaN(actual);
        else if (accuracy == Accuracy.Exact) ok = Bits(expected) == Bits(actual);
        else if (T.IsInfinity(expected) || T.IsInfinity(actual)) ok = expected == actual;
        else
        {
            double e = double.CreateTruncating(expected), ulp = double.CreateTruncating(T.BitIncrement(T.Abs(expected))) - Math.Abs(e);
            double epsilon = double.CreateTruncating(T.BitIncrement(T.One)) - 1;
            double smallestNormal = typeof(T) == typeof(float) ? Math.ScaleB(1, -126) : Math.ScaleB(1, -1022);
            ok = Math.Abs(double.CreateTruncating(actual) - e) <= accuracy.Ulps * ulp + smallestNormal + accuracy.NearZero * epsilon;
        }
        Assert.True(ok, $"{what} is {actual:R}, the definition gives {expected:R}");
    }

    private static long Bits<T>(T v) where T : unmanaged =>
        typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits(Unsafe.As<T, float>(ref v)) : BitConverter.DoubleToInt64Bits(Unsafe.As<T, double>(ref v));
}
