using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>The sink at a leaf: adds the incoming gradient into the leaf's <see cref="Tensor.Grad"/>.</summary>
public sealed class AccumulateGrad : Node
{
    internal AccumulateGrad(Tensor leaf) => Leaf = leaf;

    /// <summary>The leaf tensor this node accumulates into.</summary>
    public Tensor Leaf { get; }

    /// <inheritdoc/>
    public override string Name => "AccumulateGrad";

    /// <inheritdoc/>
    protected internal override Tensor?[] Apply(Tensor gradOutput)
    {
        var g = gradOutput;
        if (!ShapeHelper.SameShape(g.shape, Leaf.shape)) g = g.SumToShape(Leaf.shape);
        if (Leaf.Grad is null)
        {
            // The first gradient is stored as a contiguous tensor the leaf owns: a copy, since the engine may hand
            // the same tensor to several inputs (an add's backward does) and later accumulation is in place —
            // unless the node that made it marked it as its own, unshared allocation.
            if (g.freshGrad && g.gradFn is null && g.DType == Leaf.DType && g.IsContiguous)
            {
                g.freshGrad = false;
                Leaf.Grad = g;
            }
            else Leaf.Grad = g.Detach().Clone();
        }
        else
        {
            // Later gradients accumulate in place, so the grad tensor keeps its identity (optimizers rely on it).
            using (GradMode.Set(false)) Leaf.Grad.Add_(g);
        }
        return [];
    }
}
