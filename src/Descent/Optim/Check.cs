using Descent.Tensors;
using Descent.Text;

namespace Descent.Optim;

/// <summary>Argument checks with PyTorch's messages; each throws before anything is changed.</summary>
internal static class Check
{
    public static string Num(double v) => PyRepr.Float(v);

    public static void Lr(double lr)
    {
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(null, $"Invalid learning rate: {Num(lr)}");
    }

    public static void Eps(double eps, string label = "epsilon")
    {
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(null, $"Invalid {label} value: {Num(eps)}");
    }

    public static void Momentum(double momentum)
    {
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(null, $"Invalid momentum value: {Num(momentum)}");
    }

    public static void WeightDecay(double wd)
    {
        if (!(wd >= 0)) throw new ArgumentOutOfRangeException(null, $"Invalid weight_decay value: {Num(wd)}");
    }

    public static void Betas((double, double) betas)
    {
        if (!(betas.Item1 >= 0 && betas.Item1 < 1)) throw new ArgumentOutOfRangeException(null, $"Invalid beta parameter at index 0: {Num(betas.Item1)}");
        if (!(betas.Item2 >= 0 && betas.Item2 < 1)) throw new ArgumentOutOfRangeException(null, $"Invalid beta parameter at index 1: {Num(betas.Item2)}");
    }

    /// <summary>A value that must be ≥ 0, with PyTorch's "Invalid NAME value: V" message.</summary>
    public static void NonNegative(double v, string name)
    {
        if (!(v >= 0)) throw new ArgumentOutOfRangeException(null, $"Invalid {name} value: {Num(v)}");
    }

    /// <summary>
    /// <paramref name="v"/> as the float32 scalar a PyTorch op takes as <c>alpha</c> or <c>value</c> on a float32 tensor:
    /// c10's <c>checked_convert</c> refuses a finite value past float's range (NaN and infinities pass).
    /// </summary>
    public static float ScalarToFloat(double v)
    {
        if (double.IsFinite(v) && (v > float.MaxValue || v < -float.MaxValue))
            throw new OverflowException("value cannot be converted to type float without overflow");
        return (float)v;
    }

    /// <summary>A bare throw with PyTorch's exact text.</summary>
    public static ArgumentOutOfRangeException OutOfRange(string message) => new(null, message);

    /// <summary>
    /// Refuses a parameter the kernels cannot step: one that is not float32 or float64, or whose gradient's dtype is
    /// not its own (PyTorch's autograd and its <c>.grad</c> setter keep the two equal).
    /// </summary>
    public static void Floating(Tensor p, Tensor grad, string optimizer)
    {
        if (p.DType is not (DType.Float32 or DType.Float64))
            throw new NotSupportedException($"{optimizer} steps float32 and float64 parameters; got {p.DType.TorchName()}.");
        if (grad.DType != p.DType)
            throw new ArgumentException($"{optimizer}: the gradient of a {p.DType.TorchName()} parameter is {grad.DType.TorchName()}");
    }
}
