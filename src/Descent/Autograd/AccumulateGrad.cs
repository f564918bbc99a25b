using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>The sink at a leaf: adds the incoming gradient into the leaf's <see cref="Tensor.Grad"/>.</summary>
public sealed class AccumulateGrad : Node
{
    // Two passes over one retained graph on two threads may reach the same leaf at once.
    private readonly Lock gate = new();

    internal AccumulateGrad(Tensor leaf) => Leaf = leaf;

    /// <summary>The leaf tensor this node accumulates into.</summary>
    public Tensor Leaf { get; }

    // The leaf's post-accumulate-grad hooks, replaced whole on change (see TensorHooks).
    internal Action<Tensor>[]? PostHooks;

    /// <inheritdoc/>
    public override string Name => "AccumulateGrad";

    /// <inheritdoc/>
    internal override Tensor?[] Apply(Tensor gradOutput) => Run(gradOutput, recorded: false);

    internal override Tensor?[] ApplyRecorded(Tensor gradOutput) => Run(gradOutput, recorded: true);

    private Tensor?[] Run(Tensor gradOutput, bool recorded)
    {
        var g = gradOutput;
        if (!ShapeHelper.SameShape(g.shape, Leaf.shape)) g = g.SumToShape(Leaf.shape);
        lock (gate)
        {
            if (recorded) AccumulateRecorded(g);
            else Accumulate(g);
        }
        if (PostHooks is { } hooks)
            foreach (var h in hooks) h(Leaf);
        return [];
    }

    private void Accumulate(Tensor g)
    {
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
            else Leaf.Grad = g.Detach().Clone().MarkRowSparse(g.sparseRows);
        }
        else
        {
            // Later gradients accumulate in place, so the grad tensor keeps its identity (optimizers rely on it).
            // Sparse plus sparse stays sparse with the union of rows; anything plus dense is dense, as in PyTorch.
            var rows = Leaf.Grad.sparseRows is { } a && g.sparseRows is { } b ? Tensor.UnionRows(a, b) : null;
            Leaf.Grad.Add_(g);
            Leaf.Grad.sparseRows = rows;
        }
    }

    /// <summary>
    /// Under create_graph, as PyTorch's accumulate_grad with grad mode on: the first gradient is copied into a new
    /// tensor through a recorded copy (its grad_fn is CopyBackwards), later ones are added out of place, so the
    /// leaf's grad carries the graph of its computation.
    /// </summary>
    private void AccumulateRecorded(Tensor g)
    {
        if (Leaf.Grad is null) Leaf.Grad = Tensor.Allocate(Leaf.DType, (int[])Leaf.shape.Clone()).Copy_(g);
        else Leaf.Grad = Leaf.Grad.Add(g);
    }
}
