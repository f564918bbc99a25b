using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>Stateless layers and losses, like <c>torch.nn.functional</c> (imported as <c>F</c>).</summary>
public static partial class Functional
{
    /// <summary>x·Wᵀ + b, like <c>F.linear</c>; a 2-D input takes one fused node, as PyTorch's addmm.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        CheckLinearDTypes(input, weight, bias);
        if (Tensor.LinearFused(input, weight, bias) is { } fused) return fused;
        if (input.Dim == 2 && bias is not null) return Tensor.Addmm(bias, input, weight.T());
        var r = input.Matmul(weight.T());
        return bias is null ? r : r.Add(bias);
    }

    // PyTorch 1.13 runs addmm for a 1-D, 2-D or contiguous 3-D input with a bias (bias and weight checked first), mm
    // or matmul otherwise; each refuses mixed dtypes in its own words. The bias of the matmul path is added in place.
    private static void CheckLinearDTypes(Tensor input, Tensor weight, Tensor? bias)
    {
        if (bias is not null && (input.Dim <= 2 || (input.Dim == 3 && input.IsContiguous)))
        {
            if (bias.DType != weight.DType) throw new ArgumentException("self and mat2 must have the same dtype");
            if (input.DType != weight.DType) throw new ArgumentException("mat1 and mat2 must have the same dtype");
        }
        else Tensor.CheckSameScalarType(input, weight);
    }

    /// <summary>max(x, 0), like <c>F.relu</c>; <paramref name="inplace"/> overwrites the input.</summary>
    public static Tensor Relu(Tensor input, bool inplace = false) => inplace ? input.Relu_() : input.Relu();

    /// <summary>The logistic sigmoid, like <c>torch.sigmoid</c>.</summary>
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    /// <summary>Hyperbolic tangent, like <c>torch.tanh</c>.</summary>
    public static Tensor Tanh(Tensor input) => input.Tanh();

    /// <summary>log(1 + exp(β·x)) / β, linear where β·x exceeds <paramref name="threshold"/>, like <c>F.softplus</c>.</summary>
    public static Tensor Softplus(Tensor input, double beta = 1, double threshold = 20) => input.Softplus(beta, threshold);

    /// <summary>
    /// exp(x) / Σ exp(x) along <paramref name="dim"/>, like <c>F.softmax</c>. Without a dim, PyTorch's deprecated
    /// implicit choice applies (0 for 0-, 1- and 3-D inputs, else 1) with its warning. <paramref name="dtype"/>
    /// converts the input first.
    /// </summary>
    public static Tensor Softmax(Tensor input, int? dim = null, DType? dtype = null)
    {
        int d = dim ?? ImplicitSoftmaxDim("softmax", input.Dim);
        return (dtype is { } t ? input.To(t) : input).Softmax(d);
    }

    /// <summary>log(softmax(x)) computed stably along <paramref name="dim"/>, like <c>F.log_softmax</c>.</summary>
    public static Tensor LogSoftmax(Tensor input, int? dim = null, DType? dtype = null)
    {
        int d = dim ?? ImplicitSoftmaxDim("log_softmax", input.Dim);
        return (dtype is { } t ? input.To(t) : input).LogSoftmax(d);
    }

    /// <summary>PyTorch's <c>_get_softmax_dim</c>.</summary>
    internal static int ImplicitSoftmaxDim(string name, int ndim)
    {
        Warnings.Warn($"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.");
        return ndim is 0 or 1 or 3 ? 0 : 1;
    }
}
