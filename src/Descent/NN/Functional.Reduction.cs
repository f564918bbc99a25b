using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>How a loss reduces its elementwise values, PyTorch's <c>reduction</c> argument.</summary>
internal enum Reduction { None, Mean, Sum }

public static partial class Functional
{
    /// <summary>Parses a reduction name like <c>_Reduction.get_enum</c>: "none", "mean", "sum" (and the deprecated "elementwise_mean").</summary>
    /// <exception cref="ArgumentException">"{reduction} is not a valid value for reduction".</exception>
    internal static Reduction ReductionOf(string reduction)
    {
        switch (reduction)
        {
            case "none": return Reduction.None;
            case "mean": return Reduction.Mean;
            case "sum": return Reduction.Sum;
            case "elementwise_mean":
                Warnings.Warn("reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.");
                return Reduction.Mean;
            default: throw new ArgumentException($"{reduction} is not a valid value for reduction");
        }
    }

    /// <summary>Applies a reduction to elementwise losses, like ATen's <c>apply_loss_reduction</c>.</summary>
    internal static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        _ => loss,
    };

    /// <summary>PyTorch's <c>torch.Size([2, 3])</c> text for messages.</summary>
    internal static string TorchSize(Tensor t) => $"torch.Size({FormatShape(t.Shape)})";

    /// <summary>PyTorch's <c>[2, 3]</c> shape text for messages.</summary>
    internal static string FormatShape(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
