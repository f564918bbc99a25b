using System.Text;
using Descent.Tensors;
using Xunit.Sdk;

namespace Descent.Tests.Support;

/// <summary>Assertions on tensor shape, dtype and values.</summary>
public static class TensorAssert
{
    /// <summary>
    /// Same shape and dtype, and every element within <c>atol + rtol·|expected|</c>, as <c>torch.allclose</c>
    /// with <c>equal_nan=True</c>; infinities must match exactly. Integer and bool tensors must be equal.
    /// </summary>
    public static void Close(Tensor expected, Tensor actual, double rtol, double atol, string what)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
            throw new XunitException($"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
        if (expected.DType != actual.DType)
            throw new XunitException($"{what}: dtype {actual.DType}, expected {expected.DType}");
        var e = expected.Detach().To(DType.Float64).ToArray<double>();
        var a = actual.Detach().To(DType.Float64).ToArray<double>();
        bool exact = !expected.DType.IsFloatingPoint();
        var bad = new StringBuilder();
        int count = 0;
        for (int i = 0; i < e.Length; i++)
        {
            if (Matches(e[i], a[i], exact ? 0 : rtol, exact ? 0 : atol)) continue;
            if (count++ < 5) bad.Append($"\n  [{i}] got {a[i]:R}, expected {e[i]:R} (diff {Math.Abs(a[i] - e[i]):E2})");
        }
        if (count > 0)
            throw new XunitException($"{what}: {count} of {e.Length} elements differ (rtol {rtol}, atol {atol}):{bad}");
    }

    private static bool Matches(double e, double a, double rtol, double atol)
    {
        if (double.IsNaN(e) || double.IsNaN(a)) return double.IsNaN(e) && double.IsNaN(a);
        if (double.IsInfinity(e) || double.IsInfinity(a)) return e == a;
        return Math.Abs(a - e) <= atol + rtol * Math.Abs(e);
    }
}
