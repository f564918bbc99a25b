using System.Globalization;

namespace Descent.Tensors;

// Floating-point distributions: uniform_, normal_, bernoulli_.
public sealed partial class Generator
{
    // uniform_real_distribution<float> keeps the low 24 bits of a 32-bit draw,
    // <double> the low 53 bits of a 64-bit draw; both scale by 2^-digits in double.
    private const uint FloatMantissaMask = (1u << 24) - 1;
    private const double FloatDivisor = 1.0 / (1 << 24);
    private const ulong DoubleMantissaMask = (1ul << 53) - 1;
    private const double DoubleDivisor = 1.0 / (1ul << 53);

    /// <summary>
    /// Fills <paramref name="dst"/> with U[from, to) samples exactly as
    /// <c>tensor.uniform_(from, to)</c> / <c>torch.rand</c> does for a float32 tensor:
    /// one 32-bit draw per element, its low 24 bits scaled by 2^-24 in double,
    /// then <c>x * (to - from) + from</c> in double (with <c>to - from</c> in float).
    /// </summary>
    /// <exception cref="ArgumentException">With PyTorch's message for bounds it rejects.</exception>
    public void FillUniform(Span<float> dst, double from = 0.0, double to = 1.0)
    {
        CheckUniformBounds(from, to, float.MaxValue, "float", "Float");
        float fromF = (float)from;
        float toF = (float)to;
        double range = toF - fromF; // float subtraction, like T = float in PyTorch
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                double x = (NextUInt32() & FloatMantissaMask) * FloatDivisor;
                dst[i] = (float)Math.FusedMultiplyAdd(x, range, fromF);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="dst"/> with U[from, to) samples exactly as
    /// <c>tensor.uniform_(from, to)</c> / <c>torch.rand</c> does for a float64 tensor:
    /// one 64-bit draw per element, its low 53 bits scaled by 2^-53.
    /// </summary>
    /// <exception cref="ArgumentException">With PyTorch's message for bounds it rejects.</exception>
    public void FillUniform(Span<double> dst, double from = 0.0, double to = 1.0)
    {
        CheckUniformBounds(from, to, double.MaxValue, "double", "Double");
        double range = to - from;
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = Math.FusedMultiplyAdd(NextUniformDouble(), range, from);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="dst"/> with N(mean, std²) samples exactly as
    /// <c>tensor.normal_(mean, std)</c> / <c>torch.randn</c> does for a contiguous
    /// float32 tensor. From 16 elements up this is PyTorch's AVX2
    /// <c>normal_fill</c> (float Box–Muller over blocks of 16, the last block
    /// redrawn and recomputed when the length is not a multiple of 16); below
    /// 16 it is <c>normal_distribution&lt;double&gt;</c>, which uses and refills
    /// the generator's cached second sample.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="std"/> is negative or NaN.</exception>
    public void FillNormal(Span<float> dst, double mean = 0.0, double std = 1.0)
    {
        CheckNormalStd(std);
        lock (sync)
        {
            if (dst.Length >= BoxMuller.BlockSize)
            {
                NormalFillFloat(dst, (float)mean, (float)std);
                return;
            }
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = (float)NextNormalDouble(mean, std);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="dst"/> with N(mean, std²) samples exactly as
    /// <c>tensor.normal_(mean, std)</c> / <c>torch.randn</c> does for a contiguous
    /// float64 tensor: <c>normal_fill&lt;double&gt;</c> from 16 elements up,
    /// <c>normal_distribution&lt;double&gt;</c> (with the cached sample) below.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="std"/> is negative or NaN.</exception>
    public void FillNormal(Span<double> dst, double mean = 0.0, double std = 1.0)
    {
        CheckNormalStd(std);
        lock (sync)
        {
            if (dst.Length >= BoxMuller.BlockSize)
            {
                NormalFillDouble(dst, mean, std);
                return;
            }
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextNormalDouble(mean, std);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="dst"/> with 1 (probability <paramref name="p"/>) or 0,
    /// exactly as <c>tensor.bernoulli_(p)</c> on a float32 tensor in a build
    /// without MKL: one 53-bit uniform double per element, 1 when it is below p.
    /// </summary>
    /// <remarks>
    /// <c>torch.nn.functional.dropout</c> on CPU draws its mask this way:
    /// <c>noise = empty_like(x).bernoulli_(1 - p)</c>, then <c>noise.div_(1 - p)</c>
    /// and <c>x * noise</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">When p is outside [0, 1].</exception>
    public void FillBernoulli(Span<float> dst, double p)
    {
        CheckBernoulliP(p);
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextUniformDouble() < p ? 1f : 0f;
            }
        }
    }

    /// <summary>Float64 version of <see cref="FillBernoulli(Span{float}, double)"/>; the same draws.</summary>
    /// <exception cref="ArgumentException">When p is outside [0, 1].</exception>
    public void FillBernoulli(Span<double> dst, double p)
    {
        CheckBernoulliP(p);
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextUniformDouble() < p ? 1.0 : 0.0;
            }
        }
    }

    // uniform_real_distribution<double>(0, 1).
    private double NextUniformDouble() => (NextUInt64() & DoubleMantissaMask) * DoubleDivisor;

    // uniform_real_distribution<float>(0, 1): exact in float (24 bits).
    private float NextUniformFloat() => (float)((NextUInt32() & FloatMantissaMask) * FloatDivisor);

    // normal_distribution<double>(mean, std): Box–Muller on two uniform doubles,
    // returning r cos θ and caching r sin θ for the next call.
    private double NextNormalDouble(double mean, double std)
    {
        if (nextDoubleNormalSample is double cached)
        {
            nextDoubleNormalSample = null;
            return Math.FusedMultiplyAdd(cached, std, mean);
        }
        double u1 = NextUniformDouble();
        double u2 = NextUniformDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormalSample = r * Math.Sin(theta);
        return Math.FusedMultiplyAdd(r * Math.Cos(theta), std, mean);
    }

    private void NormalFillFloat(Span<float> dst, float mean, float std)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = NextUniformFloat();
        }
        int n = dst.Length;
        for (int i = 0; i + BoxMuller.BlockSize <= n; i += BoxMuller.BlockSize)
        {
            BoxMuller.Fill16Avx2(dst.Slice(i, BoxMuller.BlockSize), mean, std);
        }
        if (n % BoxMuller.BlockSize != 0)
        {
            // PyTorch redraws and recomputes the last 16 values (overlapping the previous block).
            Span<float> tail = dst[(n - BoxMuller.BlockSize)..];
            for (int i = 0; i < tail.Length; i++)
            {
                tail[i] = NextUniformFloat();
            }
            BoxMuller.Fill16Avx2(tail, mean, std);
        }
    }

    private void NormalFillDouble(Span<double> dst, double mean, double std)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = NextUniformDouble();
        }
        int n = dst.Length;
        for (int i = 0; i + BoxMuller.BlockSize <= n; i += BoxMuller.BlockSize)
        {
            BoxMuller.Fill16(dst.Slice(i, BoxMuller.BlockSize), mean, std);
        }
        if (n % BoxMuller.BlockSize != 0)
        {
            Span<double> tail = dst[(n - BoxMuller.BlockSize)..];
            for (int i = 0; i < tail.Length; i++)
            {
                tail[i] = NextUniformDouble();
            }
            BoxMuller.Fill16(tail, mean, std);
        }
    }

    // uniform_impl_'s checks; dtype and scalarTypeName are how PyTorch's messages spell the type.
    private static void CheckUniformBounds(double from, double to, double max, string dtype, string scalarTypeName)
    {
        if (!(from >= -max && from <= max))
        {
            throw new ArgumentException($"from is out of bounds for {dtype}");
        }
        if (!(to >= -max && to <= max))
        {
            throw new ArgumentException($"to is out of bounds for {dtype}");
        }
        if (from > to)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"uniform_ expects to return a [from, to) range, but found from={from} > to={to}"));
        }
        if (!(to - from <= max))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"uniform_ expects to-from <= std::numeric_limits<{scalarTypeName}>::max(), but found to={to} and from={from} which result in to-from to exceed the limit"));
        }
    }

    private static void CheckNormalStd(double std)
    {
        if (!(std >= 0.0))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"normal expects std >= 0.0, but found std {std}"));
        }
    }

    private static void CheckBernoulliP(double p)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"bernoulli_ expects p to be in [0, 1], but got p={p}"));
        }
    }
}
