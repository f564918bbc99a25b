using Descent.Autograd;
using Descent.Kernels;
using Descent.Tensors;

namespace Descent.NN;

// Binary classification losses, on probabilities and on logits, with ATen's formulas and gradients.
public static partial class Functional
{
    /// <summary>
    /// Binary cross-entropy on probabilities, like <c>F.binary_cross_entropy</c>:
    /// −w·[t·log x + (1 − t)·log(1 − x)], each log clamped at −100 as PyTorch does so that x = 0 or 1 stays finite.
    /// Input and target must have the same size; <paramref name="weight"/> broadcasts to it.
    /// </summary>
    /// <exception cref="ArgumentException">Sizes differ, or an input lies outside [0, 1] (PyTorch's messages).</exception>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        var r = ReductionOf(reduction);
        if (!input.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException(
                $"Using a target size ({TorchSize(target)}) that is different to the input size ({TorchSize(input)}) is deprecated. Please ensure they have the same size.");
        NotDifferentiable(weight, "binary_cross_entropy", "weight");
        return BinaryLoss(input, target, weight, null, r, logits: false);
    }

    /// <summary>
    /// Binary cross-entropy on logits, like <c>F.binary_cross_entropy_with_logits</c>: the sigmoid and the log are
    /// fused into one overflow-free formula. <paramref name="posWeight"/> (broadcast along the last dimensions, e.g.
    /// one per class) scales the positive term; <paramref name="weight"/> scales each element.
    /// </summary>
    /// <exception cref="ArgumentException">Sizes differ (PyTorch's message).</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean",
        Tensor? posWeight = null)
    {
        var r = ReductionOf(reduction);
        if (!input.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"Target size ({TorchSize(target)}) must be the same as input size ({TorchSize(input)})");
        NotDifferentiable(weight, "binary_cross_entropy_with_logits", "weight");
        NotDifferentiable(posWeight, "binary_cross_entropy_with_logits", "pos_weight");
        return BinaryLoss(input, target, weight, posWeight, r, logits: true);
    }

    private static void NotDifferentiable(Tensor? t, string function, string argument)
    {
        if (t is not null && t.RequiresGrad && GradMode.IsEnabled)
            throw new ArgumentException(
                $"The function '{function}' is not differentiable with respect to argument '{argument}'. This input cannot have requires_grad True.");
    }

    /// <summary>A weight broadcast to the input's shape, dense and of its dtype.</summary>
    private static Tensor? Spread(Tensor? weight, Tensor input)
    {
        if (weight is null) return null;
        var shape = ShapeHelper.Broadcast(input.Shape, weight.Shape);
        if (!shape.AsSpan().SequenceEqual(input.Shape))
            throw new ArgumentException($"output with shape {FormatShape(input.Shape)} doesn't match the broadcast shape {FormatShape(shape)}");
        return weight.Detach().To(input.DType).Expand(input.Shape).Contiguous();
    }

    private static Tensor BinaryLoss(Tensor input, Tensor target, Tensor? weight, Tensor? posWeight, Reduction reduction, bool logits)
    {
        string op = logits ? "binary_cross_entropy_with_logits" : "binary_cross_entropy";
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"\"{op}\" not implemented for '{input.DType.ScalarTypeName()}'");
        if (target.DType != input.DType)
            throw new ArgumentException($"Found dtype {target.DType.ScalarTypeName()} but expected {input.DType.ScalarTypeName()}");
        var x = input.Detach().Contiguous();
        var t = target.Detach().Contiguous();
        var w = Spread(weight, input);
        var pw = Spread(posWeight, input);
        var loss = Tensor.Empty(input.Shape, input.DType);
        bool inRange = true;
        if (input.DType == DType.Float32)
        {
            if (logits) BinaryLossKernels.BceWithLogits<float>(x.AsSpan<float>(), t.AsSpan<float>(), Span(w), Span(pw), loss.AsSpan<float>());
            else inRange = BinaryLossKernels.Bce<float>(x.AsSpan<float>(), t.AsSpan<float>(), Span(w), loss.AsSpan<float>());
        }
        else
        {
            if (logits) BinaryLossKernels.BceWithLogits<double>(x.AsSpan<double>(), t.AsSpan<double>(), SpanD(w), SpanD(pw), loss.AsSpan<double>());
            else inRange = BinaryLossKernels.Bce<double>(x.AsSpan<double>(), t.AsSpan<double>(), SpanD(w), loss.AsSpan<double>());
        }
        if (!inRange) throw new ArgumentException("all elements of input should be between 0 and 1");
        var result = Reduce(loss, reduction);
        if (!Graph.Needs(input, target)) return result;
        double scale = reduction == Reduction.Mean ? 1.0 / input.Numel : 1.0;
        return Graph.Attach(result, new BinaryCrossEntropyBackward(logits, input, target, w, pw, scale), input, target);
    }

    private static Span<float> Span(Tensor? t) => t is null ? default : t.AsSpan<float>();

    private static Span<double> SpanD(Tensor? t) => t is null ? default : t.AsSpan<double>();
}
