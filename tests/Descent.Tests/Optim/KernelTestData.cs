using CsCheck;
using Descent.Optim.Kernels;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>Inputs and checks the kernel tests share: generated buffers, vector widths, bitwise comparison.</summary>
public static class KernelTestData
{
    /// <summary>The widths to run: the native one and every narrower one, down to the scalar fallback.</summary>
    public static int[] Widths => SimdWidth.Native switch { 512 => [512, 256, 0], 256 => [256, 0], _ => [0] };

    /// <summary>How a buffer is filled: signed values, their magnitudes (second moments), or signed with many zeros.</summary>
    public enum Fill { Signed, Positive, Sparse }

    /// <summary>
    /// Buffers of <paramref name="length"/> elements, one per fill, drawn from <paramref name="values"/>: Positive
    /// takes the magnitudes, Sparse makes a third of the elements exact zeros (Rprop's sign tests).
    /// </summary>
    public static Gen<float[][]> Buffers(Fill[] fills, int length, Gen<float> values)
    {
        var positive = values.Select(MathF.Abs);
        var sparse = Gen.Frequency((1, Gen.Const(0f)), (2, values));
        return fills.Aggregate(Gen.Const(Array.Empty<float[]>()), (buffers, fill) =>
            Gen.Select(buffers, (fill switch { Fill.Positive => positive, Fill.Sparse => sparse, _ => values }).Array[length],
                (previous, buffer) => (float[][])[.. previous, buffer]));
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
