using Descent.Tensors;

namespace Descent.Optim.Swa;

/// <summary>
/// In-place averaging updates over a tensor's elements in its own dtype, with PyTorch's CPU arithmetic
/// (float32 math for float32 tensors, the scalar rounded to float32 first), so averages match bit for bit.
/// </summary>
internal static class AvgKernels
{
    /// <summary>
    /// <c>a.lerp_(b, w)</c> as PyTorch's vectorised CPU kernel computes it: a fused multiply-add from the nearer
    /// end, <c>fma(w, b − a, a)</c> when |w| &lt; 0.5, else <c>fma(w − 1, b − a, b)</c>; exact at w = 0 and w = 1.
    /// </summary>
    public static void Lerp_(Tensor a, Tensor b, double weight)
    {
        switch (a.DType)
        {
            case DType.Float32:
            {
                float w = (float)weight;
                Apply<float>(a, b, (x, y) => MathF.Abs(w) < 0.5f ? MathF.FusedMultiplyAdd(w, y - x, x) : MathF.FusedMultiplyAdd(w - 1, y - x, y));
                break;
            }
            case DType.Float64:
                Apply<double>(a, b, (x, y) => Math.Abs(weight) < 0.5 ? Math.FusedMultiplyAdd(weight, y - x, x) : Math.FusedMultiplyAdd(weight - 1, y - x, y));
                break;
            default:
                throw new NotSupportedException($"lerp_ does not support {a.DType.TorchName()} tensors");
        }
    }

    /// <summary><c>a ← a + (b − a)/(n + 1)</c>, the equal-weight running mean after n models.</summary>
    public static void RunningMean_(Tensor a, Tensor b, long n)
    {
        switch (a.DType)
        {
            case DType.Float32:
            {
                float d = n + 1;
                Apply<float>(a, b, (x, y) => x + (y - x) / d);
                break;
            }
            case DType.Float64:
            {
                double d = n + 1;
                Apply<double>(a, b, (x, y) => x + (y - x) / d);
                break;
            }
            default:
                // Integer tensors (counters): PyTorch's true division gives a float that copy_ truncates back.
                Apply<long>(a, b, (x, y) => (long)(x + (double)(y - x) / (n + 1)));
                break;
        }
    }

    /// <summary><c>a ← a·decay + b·(1 − decay)</c> for tensors lerp cannot take (integers), truncated back like copy_.</summary>
    public static void Blend_(Tensor a, Tensor b, double decay)
    {
        if (a.DType != DType.Int64) throw new NotSupportedException($"no blend for {a.DType.TorchName()} tensors");
        Apply<long>(a, b, (x, y) => (long)(x * decay + y * (1 - decay)));
    }

    private static void Apply<T>(Tensor a, Tensor b, Func<T, T, T> f) where T : unmanaged
    {
        if (!a.IsContiguous) throw new NotSupportedException("averaging needs contiguous tensors");
        var bc = b.DType == a.DType ? b.Contiguous() : b.To(a.DType).Contiguous();
        if (!Descent.Tensors.ShapeHelper.SameShape(a.Shape, bc.Shape))
            throw new ArgumentException($"The size of tensor a ({string.Join(", ", a.Shape)}) must match the size of tensor b ({string.Join(", ", bc.Shape)})");
        var x = a.AsSpan<T>();
        var y = bc.AsSpan<T>();
        for (int i = 0; i < x.Length; i++) x[i] = f(x[i], y[i]);
        a.BumpVersion();
    }
}
