using Descent.Tensors;

namespace Descent.NN;

// Further activations, each written with differentiable tensor ops so that every order of derivative works; where
// PyTorch's derivative has a kink (leaky_relu, elu at 0) the masks follow its backward formulas.
public static partial class Functional
{
    /// <summary>
    /// x·Φ(x), like <c>F.gelu</c>; <paramref name="approximate"/> "tanh" uses
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Default "none".
    /// </summary>
    public static Tensor Gelu(Tensor input, string approximate = "none")
    {
        ArgumentNullException.ThrowIfNull(input);
        if (approximate == "none") return input.Mul(input.Mul(1 / Math.Sqrt(2)).Erf().Add(1.0)).Mul(0.5);
        if (approximate == "tanh")
        {
            var inner = input.Add(input.Pow(3).Mul(0.044715)).Mul(Math.Sqrt(2 / Math.PI));
            return input.Mul(0.5).Mul(inner.Tanh().Add(1.0));
        }
        throw new ArgumentException($"approximate argument must be either none or tanh.");
    }

    /// <summary>x·σ(x), like <c>F.silu</c>.</summary>
    public static Tensor Silu(Tensor input) => input.Mul(input.Sigmoid());

    /// <summary>x·tanh(softplus(x)), like <c>F.mish</c>.</summary>
    public static Tensor Mish(Tensor input) => input.Mul(input.Softplus().Tanh());

    /// <summary>x where x &gt; 0, else negativeSlope·x, like <c>F.leaky_relu</c>. Default slope 0.01.</summary>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) =>
        Tensor.Where(input.Gt(0.0), input, input.Mul(negativeSlope));

    /// <summary>x where x &gt; 0, else α·(eˣ − 1), like <c>F.elu</c>. Default α = 1.</summary>
    public static Tensor Elu(Tensor input, double alpha = 1.0) =>
        Tensor.Where(input.Gt(0.0), input, input.Expm1().Mul(alpha));

    /// <summary>
    /// x where x &gt; 0, else w·x, like <c>F.prelu</c>: a one-element weight is shared, otherwise it has one value
    /// per channel (dimension 1 of the input, or 0 of a 1-D input).
    /// </summary>
    public static Tensor Prelu(Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Dim > 1) throw new ArgumentException($"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.Dim}");
        var w = weight;
        if (weight.Numel != 1)
        {
            int channelDim = input.Dim >= 2 ? 1 : 0;
            int channels = input.Dim == 0 ? 1 : input.shape[channelDim];
            if (weight.Numel != channels)
                throw new ArgumentException(
                    $"Mismatch of parameter numbers and input channel size. Found parameter numbers = {weight.Numel} and channel size = {channels}.");
            var shape = new int[input.Dim];
            Array.Fill(shape, 1);
            shape[channelDim] = channels;
            w = weight.Reshape(shape);
        }
        else w = weight.Reshape([]);
        return Tensor.Where(input.Gt(0.0), input, input.Mul(w));
    }

    /// <summary>x clamped to [minVal, maxVal], like <c>F.hardtanh</c>; the gradient is zero outside the open interval. Defaults −1, 1.</summary>
    public static Tensor Hardtanh(Tensor input, double minVal = -1, double maxVal = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        var inside = input.Gt(minVal).LogicalAnd(input.Lt(maxVal));
        return Tensor.Where(inside, input, input.Clamp(minVal, maxVal).Detach());
    }

    /// <summary>x·relu6(x + 3)/6, like <c>F.hardswish</c>.</summary>
    public static Tensor Hardswish(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // ATen's backward: 0 below −3, x/3 + 1/2 up to 3 (inclusive), 1 above.
        var middle = input.Mul(input.Add(3.0)).Div(6.0);
        var upper = Tensor.Where(input.Gt(3.0), input, middle);
        return Tensor.Where(input.Lt(-3.0), input.Mul(0.0), upper);
    }
}
