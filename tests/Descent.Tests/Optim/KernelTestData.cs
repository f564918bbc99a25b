using Descent.Optim.Kernels;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>Inputs and checks the kernel tests share: random buffers, vector widths, bitwise comparison.</summary>
public static class KernelTestData
{
    /// <summary>The widths to run: the native one and every narrower one, down to the scalar fallback.</summary>
    public static int[] Widths => SimdWidth.Native switch { 512 => [512, 256, 0], 256 => [256, 0], _ => [0] };

    /// <summary>How a buffer is filled: signed values over many binades, their magnitudes, or signed with many zeros.</summary>
    public enum Fill { Signed, Positive, Sparse }

    /// <summary>Random buffers: signed values spread over 2⁻²⁰…2⁴ with 2% exact zeros (Sparse: 30%), or their magnitudes.</summary>
    public static float[][] Buffers(Fill[] fills, int n, int seed)
    {
        var rng = new Random(seed);
        var buffers = new float[fills.Length][];
        for (int b = 0; b < fills.Length; b++)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++)
            {
                double zeros = fills[b] == Fill.Sparse ? 0.3 : 0.02;
                if (rng.NextDouble() < zeros) continue;
                float v = (float)((1 + rng.NextDouble()) * Math.Pow(2, rng.Next(-20, 5)));
                x[i] = fills[b] == Fill.Positive || rng.Next(2) == 0 ? v : -v;
            }
            buffers[b] = x;
        }
        return buffers;
    }

    public static float[][] Clone(float[][] buffers) => buffers.Select(b => (float[])b.Clone()).ToArray();

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

    public static void AssertSameBits(float[] expected, float[] actual, string what, bool nanAsOne = false)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (nanAsOne && float.IsNaN(expected[i]) && float.IsNaN(actual[i])) continue;
            int e = BitConverter.SingleToInt32Bits(expected[i]), a = BitConverter.SingleToInt32Bits(actual[i]);
            if (e != a) Assert.Fail($"{what}: element {i} is {actual[i]:R} (0x{a:X8}), the reference gives {expected[i]:R} (0x{e:X8})");
        }
    }
}
