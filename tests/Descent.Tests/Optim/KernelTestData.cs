using System.Numerics;
using Descent.Optim.Kernels;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>Inputs and checks the kernel tests share: random buffers, vector widths, bitwise comparison, in float32 and float64.</summary>
public static class KernelTestData
{
    /// <summary>The widths to run: the native one and every narrower one, down to the scalar fallback.</summary>
    public static int[] Widths => SimdWidth.Native switch { 512 => [512, 256, 0], 256 => [256, 0], _ => [0] };

    /// <summary>How a buffer is filled: signed values over many binades, their magnitudes, or signed with many zeros.</summary>
    public enum Fill { Signed, Positive, Sparse }

    /// <summary>
    /// Random buffers: signed values spread over 2⁻²⁰…2⁴ with 2% exact zeros (Sparse: 30%), or their magnitudes; every
    /// mantissa bit of <typeparamref name="T"/> random (a float32 buffer holds the same draws rounded).
    /// </summary>
    public static T[][] Buffers<T>(Fill[] fills, int n, int seed) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var buffers = new T[fills.Length][];
        for (int b = 0; b < fills.Length; b++)
        {
            var x = new T[n];
            for (int i = 0; i < n; i++)
            {
                double zeros = fills[b] == Fill.Sparse ? 0.3 : 0.02;
                if (rng.NextDouble() < zeros) continue;
                double v = (1 + rng.NextDouble()) * Math.Pow(2, rng.Next(-20, 5));
                x[i] = T.CreateTruncating(fills[b] == Fill.Positive || rng.Next(2) == 0 ? v : -v);
            }
            buffers[b] = x;
        }
        return buffers;
    }

    /// <summary>Float32 buffers (see <see cref="Buffers{T}"/>).</summary>
    public static float[][] Buffers(Fill[] fills, int n, int seed) => Buffers<float>(fills, n, seed);

    public static T[][] Clone<T>(T[][] buffers) => buffers.Select(b => (T[])b.Clone()).ToArray();

    /// <summary>Runs <paramref name="action"/> with the fast kernels at <paramref name="width"/> bits, restoring the setting.</summary>
    public static void RunAtWidth(int width, Action action)
    {
        int previous = SimdWidth.Bits;
        SimdWidth.Bits = width;
        try
        {
            action();
        }
        finally
        {
            SimdWidth.Bits = previous;
        }
    }

    /// <summary>The bit pattern of a float32 or float64 value.</summary>
    public static ulong Bits<T>(T v) where T : unmanaged, IBinaryFloatingPointIeee754<T> => v switch
    {
        float f => BitConverter.SingleToUInt32Bits(f),
        double d => BitConverter.DoubleToUInt64Bits(d),
        _ => throw new NotSupportedException(typeof(T).Name),
    };

    public static void AssertSameBits<T>(T[] expected, T[] actual, string what, bool nanAsOne = false) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (nanAsOne && T.IsNaN(expected[i]) && T.IsNaN(actual[i])) continue;
            ulong e = Bits(expected[i]), a = Bits(actual[i]);
            if (e != a) Assert.Fail($"{what}: element {i} is {actual[i]:R} (0x{a:X}), the reference gives {expected[i]:R} (0x{e:X})");
        }
    }

    /// <summary>Two tensors of one floating dtype hold the same bits.</summary>
    public static void AssertSameBits(Tensor expected, Tensor actual, string what, bool nanAsOne = false)
    {
        Assert.Equal(expected.DType, actual.DType);
        if (expected.DType == DType.Float64) AssertSameBits(expected.ToArray<double>(), actual.ToArray<double>(), what, nanAsOne);
        else AssertSameBits(expected.ToArray(), actual.ToArray(), what, nanAsOne);
    }
}
