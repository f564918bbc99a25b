using CsCheck;

namespace Descent.Tests.Support;

/// <summary>
/// Floating-point inputs for properties: mostly ordinary values spread over many binades, where two ways of computing
/// a result round differently if they can, and then the edges of the format (signed zeros, subnormals, values up to
/// the largest finite one, and where asked for NaN and the infinities), which is where vector and scalar code part.
/// </summary>
public static class FloatGen
{
    /// <summary>±m·2^e, m in [1, 2), e in −20…4: the magnitudes parameters, gradients and moments take.</summary>
    public static readonly Gen<float> Ordinary = Gen.Select(Gen.Float.OneTwo, Gen.Int[-20, 4], Gen.Bool,
        (m, e, negative) => (negative ? -m : m) * MathF.ScaleB(1f, e));

    /// <summary>Nonzero values below the smallest normal float, of either sign.</summary>
    public static readonly Gen<float> Subnormal = Gen.Select(Gen.Int[1, 0x7F_FFFF], Gen.Bool,
        (bits, negative) => BitConverter.Int32BitsToSingle(bits | (negative ? int.MinValue : 0)));

    /// <summary>Any finite float: every exponent equally likely, so huge and tiny values are common.</summary>
    public static readonly Gen<float> AnyFinite = Gen.Select(Gen.Int[0, 254], Gen.Int[0, 0x7F_FFFF], Gen.Bool,
        (exponent, mantissa, negative) => BitConverter.Int32BitsToSingle((exponent << 23) | mantissa | (negative ? int.MinValue : 0)));

    /// <summary>
    /// Ordinary floats with ±0 and subnormals among them: nothing that overflows a float sum or norm, even over a
    /// long buffer (where one huge value would make every result infinite, and hide the rest).
    /// </summary>
    public static readonly Gen<float> Moderate = Gen.Frequency((12, Ordinary), (2, Gen.OneOf(0f, -0f)), (1, Subnormal));

    /// <summary><see cref="Moderate"/> floats with any finite value among them, huge and tiny ones.</summary>
    public static readonly Gen<float> Finite = Gen.Frequency((15, Moderate), (2, AnyFinite));

    /// <summary><see cref="Finite"/> with NaN, ±∞ and ±float.MaxValue among them.</summary>
    public static readonly Gen<float> WithSpecials = Gen.Frequency(
        (8, Finite), (1, Gen.OneOf(float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue)));

    /// <summary>±m·2^e, m in [1, 2), e in −20…4, in double.</summary>
    public static readonly Gen<double> OrdinaryDouble = Gen.Select(Gen.Double.OneTwo, Gen.Int[-20, 4], Gen.Bool,
        (m, e, negative) => (negative ? -m : m) * Math.ScaleB(1, e));

    /// <summary>Any finite double: every exponent equally likely, subnormals included.</summary>
    public static readonly Gen<double> AnyFiniteDouble = Gen.Select(Gen.Int[0, 2046], Gen.Long[0, 0xF_FFFF_FFFF_FFFF], Gen.Bool,
        (exponent, mantissa, negative) => BitConverter.Int64BitsToDouble(((long)exponent << 52) | mantissa | (negative ? long.MinValue : 0)));

    /// <summary>Doubles as <see cref="WithSpecials"/>: ordinary ones mostly, then ±0, any finite value, NaN and ±∞.</summary>
    public static readonly Gen<double> DoubleWithSpecials = Gen.Frequency(
        (12, OrdinaryDouble), (2, Gen.OneOf(0.0, -0.0)), (3, AnyFiniteDouble),
        (1, Gen.OneOf(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon)));
}
