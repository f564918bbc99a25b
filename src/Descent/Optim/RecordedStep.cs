using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// What the differentiable (recorded) steps share: they are PyTorch's <c>_single_tensor_*</c> functions with
/// <c>differentiable=True</c>, written with tensor operations so that autograd records the update.
/// </summary>
internal static class RecordedStep
{
    /// <summary>Each parameter of <paramref name="group"/> that has a gradient, with it (checked as the kernels check it).</summary>
    public static IEnumerable<(Tensor Param, Tensor Grad)> WithGrads(ParamGroup group, string optimizer)
    {
        foreach (var p in group.Params)
        {
            if (p.Grad is not { } grad) continue;
            Check.Floating(p, grad, optimizer);
            yield return (p, grad);
        }
    }

    /// <summary>The gradient the update uses: negated when maximizing, plus weight_decay·p (an L2 penalty).</summary>
    public static Tensor Grad(Tensor p, Tensor grad, bool maximize, double weightDecay)
    {
        var g = maximize ? grad.Neg() : grad;
        return weightDecay != 0 ? g.Add(p, weightDecay) : g;
    }

    /// <summary>
    /// As <see cref="Grad(Tensor, Tensor, bool, double)"/>, but decoupled weight decay shrinks the parameter
    /// instead, p ← p·(1 − lr·weight_decay) (AdamW's form), and leaves the gradient alone.
    /// </summary>
    public static Tensor Grad(Tensor p, Tensor grad, bool maximize, double weightDecay, bool decoupled, double lr)
    {
        if (!decoupled || weightDecay == 0) return Grad(p, grad, maximize, weightDecay);
        p.Mul_(1 - lr * weightDecay);
        return maximize ? grad.Neg() : grad;
    }
}
