using Descent.Autograd;
using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>Parameter initialisation, like <c>torch.nn.init</c>: fills tensors in place without recording gradients.</summary>
public static class Init
{
    /// <summary>
    /// Fan-in and fan-out of a weight tensor, like <c>_calculate_fan_in_and_fan_out</c>: sizes of dims 1 and 0,
    /// each times the receptive field (the product of the remaining dims).
    /// </summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor t)
    {
        if (t.Dim < 2) throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        int receptive = 1;
        for (int d = 2; d < t.Dim; d++) receptive *= t.Size(d);
        return (t.Size(1) * receptive, t.Size(0) * receptive);
    }

    /// <summary>
    /// The recommended gain for a nonlinearity, like <c>calculate_gain</c>: 1 for linear/conv/sigmoid, 5/3 for
    /// tanh, √2 for relu, √(2/(1 + slope²)) for leaky_relu (slope <paramref name="param"/>, default 0.01), 3/4 for selu.
    /// </summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
    };

    /// <summary>Fills with U(a, b), like <c>uniform_</c>.</summary>
    public static Tensor Uniform_(Tensor t, double a = 0, double b = 1, Generator? generator = null)
    {
        using (GradMode.Set(false)) return t.Uniform_(a, b, generator);
    }

    /// <summary>Fills with N(mean, std²), like <c>normal_</c>.</summary>
    public static Tensor Normal_(Tensor t, double mean = 0, double std = 1, Generator? generator = null)
    {
        using (GradMode.Set(false)) return t.Normal_(mean, std, generator);
    }

    /// <summary>Fills with a constant, like <c>constant_</c>.</summary>
    public static Tensor Constant_(Tensor t, double value)
    {
        using (GradMode.Set(false)) return t.Fill_(value);
    }

    /// <summary>Fills with zeros, like <c>zeros_</c>.</summary>
    public static Tensor Zeros_(Tensor t) => Constant_(t, 0);

    /// <summary>Fills with ones, like <c>ones_</c>.</summary>
    public static Tensor Ones_(Tensor t) => Constant_(t, 1);

    /// <summary>Glorot uniform: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)), like <c>xavier_uniform_</c>.</summary>
    public static Tensor XavierUniform_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = CalculateFanInAndFanOut(t);
        // PyTorch's order of operations, so the bound is the same double: std first, then √3·std.
        double std = gain * Math.Sqrt(2.0 / (fi + fo));
        double a = Math.Sqrt(3.0) * std;
        return Uniform_(t, -a, a, generator);
    }

    /// <summary>Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)), like <c>xavier_normal_</c>.</summary>
    public static Tensor XavierNormal_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = CalculateFanInAndFanOut(t);
        return Normal_(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)), generator);
    }

    /// <summary>fan_in or fan_out, like PyTorch's <c>_calculate_correct_fan</c>.</summary>
    private static int Fan(Tensor t, string mode)
    {
        if (mode is not ("fan_in" or "fan_out"))
            throw new ArgumentException($"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']");
        var (fi, fo) = CalculateFanInAndFanOut(t);
        return mode == "fan_in" ? fi : fo;
    }

    /// <summary>PyTorch skips (with a warning) tensors with a zero dimension, whose fans would divide by zero.</summary>
    private static bool IsEmpty(Tensor t)
    {
        if (t.Numel != 0) return false;
        Warnings.Warn("Initializing zero-element tensors is a no-op");
        return true;
    }

    /// <summary>
    /// He uniform: U(−b, b) with b = √3·gain/√fan, like <c>kaiming_uniform_</c>; <paramref name="a"/> is the negative
    /// slope used by the leaky_relu gain.
    /// </summary>
    public static Tensor KaimingUniform_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (IsEmpty(t)) return t;
        int fan = Fan(t, mode);
        double gain = CalculateGain(nonlinearity, a);
        double std = gain / Math.Sqrt(fan);
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(t, -bound, bound, generator);
    }

    /// <summary>He normal: N(0, std²) with std = gain/√fan, like <c>kaiming_normal_</c>.</summary>
    public static Tensor KaimingNormal_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (IsEmpty(t)) return t;
        int fan = Fan(t, mode);
        double gain = CalculateGain(nonlinearity, a);
        return Normal_(t, 0, gain / Math.Sqrt(fan), generator);
    }
}
