using Descent.Tensors;

namespace Descent.Autograd;

// The backward of the ops backward formulas use under create_graph (see Tensor.BackwardOps): what makes a
// gradient differentiable again.

/// <summary>Placing a gradient into zeros (slice, select, as_strided backward): the gradient's region, taken back out.</summary>
internal sealed class ViewScatterBackward(Func<Tensor, Tensor> gather, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g) => [gather(g)];
}

/// <summary>scatter_add into zeros: ∂src = g gathered at the index.</summary>
internal sealed class ScatterAddBackward(int dim, Tensor index) : Node
{
    public override string Name => "ScatterAddBackward0";
    internal override Tensor?[] Apply(Tensor g) => [g.Gather(dim, index)];
}

/// <summary>index_add into zeros: ∂src = index_select of g at the index.</summary>
internal sealed class IndexAddBackward(int dim, long[] index) : Node
{
    public override string Name => "IndexAddBackward0";
    internal override Tensor?[] Apply(Tensor g) => [g.IndexSelect(dim, Tensor.FromArray(index))];
}
