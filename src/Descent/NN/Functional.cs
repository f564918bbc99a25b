using Descent.Tensors;

namespace Descent.NN;

/// <summary>Stateless layers and losses, like <c>torch.nn.functional</c> (imported as <c>F</c>).</summary>
public static partial class Functional
{
    /// <summary>x·Wᵀ + b; a 2-D input uses one fused addmm as PyTorch does.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (input.Dim == 2 && bias is not null) return Tensor.Addmm(bias, input, weight.T());
        var r = input.Matmul(weight.T());
        return bias is null ? r : r.Add(bias);
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>The logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => x.Tanh();

    /// <summary>Softplus with β and threshold.</summary>
    public static Tensor Softplus(Tensor x, double beta = 1, double threshold = 20) => x.Softplus(beta, threshold);

    /// <summary>Mean squared error, like <c>F.mse_loss</c>; reduction "mean", "sum" or "none".</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        var d = input.Sub(target);
        return Reduce(d.Mul(d), reduction);
    }

    internal static Tensor Reduce(Tensor loss, string reduction) => reduction switch
    {
        "mean" => loss.Mean(),
        "sum" => loss.Sum(),
        "none" => loss,
        _ => throw new ArgumentException($"{reduction} is not a valid value for reduction"),
    };
}
