using Descent.Tensors;

namespace Descent.NN;

/// <summary>Parameter initialisation, like <c>torch.nn.init</c>: fills tensors in place without recording gradients.</summary>
public static class Init
{
    /// <summary>Fan-in and fan-out of a weight tensor, as PyTorch computes them.</summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor t)
    {
        if (t.Dim < 2) throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        int receptive = 1;
        for (int d = 2; d < t.Dim; d++) receptive *= t.Size(d);
        return (t.Size(1) * receptive, t.Size(0) * receptive);
    }

    /// <summary>The recommended gain for a nonlinearity, like <c>calculate_gain</c>.</summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
    };

    /// <summary>Fills with U(a, b).</summary>
    public static Tensor Uniform_(Tensor t, double a = 0, double b = 1, Generator? generator = null)
    {
        using (Torch.NoGrad()) return t.Uniform_(a, b, generator);
    }

    /// <summary>Fills with N(mean, std²).</summary>
    public static Tensor Normal_(Tensor t, double mean = 0, double std = 1, Generator? generator = null)
    {
        using (Torch.NoGrad()) return t.Normal_(mean, std, generator);
    }

    /// <summary>Fills with a constant.</summary>
    public static Tensor Constant_(Tensor t, double value)
    {
        using (Torch.NoGrad()) return t.Fill_(value);
    }

    /// <summary>Fills with zeros.</summary>
    public static Tensor Zeros_(Tensor t) => Constant_(t, 0);

    /// <summary>Fills with ones.</summary>
    public static Tensor Ones_(Tensor t) => Constant_(t, 1);

    /// <summary>Glorot uniform: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = CalculateFanInAndFanOut(t);
        double a = gain * Math.Sqrt(2.0 / (fi + fo)) * Math.Sqrt(3.0);
        return Uniform_(t, -a, a, generator);
    }

    /// <summary>Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = CalculateFanInAndFanOut(t);
        return Normal_(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)), generator);
    }

    private static int Fan(Tensor t, string mode)
    {
        var (fi, fo) = CalculateFanInAndFanOut(t);
        return mode switch
        {
            "fan_in" => fi,
            "fan_out" => fo,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out"),
        };
    }

    /// <summary>He uniform: U(-b, b) with b = gain·√(3 / fan), like <c>kaiming_uniform_</c>.</summary>
    public static Tensor KaimingUniform_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double gain = CalculateGain(nonlinearity, a);
        double bound = Math.Sqrt(3.0) * (gain / Math.Sqrt(Fan(t, mode)));
        return Uniform_(t, -bound, bound, generator);
    }

    /// <summary>He normal: N(0, std²) with std = gain / √fan, like <c>kaiming_normal_</c>.</summary>
    public static Tensor KaimingNormal_(Tensor t, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double gain = CalculateGain(nonlinearity, a);
        return Normal_(t, 0, gain / Math.Sqrt(Fan(t, mode)), generator);
    }
}
