using Descent.Kernels;
using Descent.Tensors;

namespace Descent.Autograd;

// Gradients of the sliding-window primitives (Tensor.Window.cs). Each op is linear, so each backward is the adjoint
// op, itself recorded under create_graph: derivatives of any order.

/// <summary>im2col: the gradient of the columns is summed back into the image (col2im).</summary>
internal sealed class Im2ColBackward(int batch, int channels, Window w) : Node
{
    public override string Name => "Im2ColBackward0";
    internal override Tensor?[] Apply(Tensor g) => [Tensor.Col2Im(g, batch, channels, w)];
}

/// <summary>col2im: the gradient of the image is cut into columns again (im2col).</summary>
internal sealed class Col2ImBackward(Window w) : Node
{
    public override string Name => "Col2ImBackward0";
    internal override Tensor?[] Apply(Tensor g) => [Tensor.Im2Col(g, w)];
}

/// <summary>Max pooling (a gather at the maxima): the gradient goes back to each window's maximum.</summary>
internal sealed class MaxPoolBackward(int[] inputShape, Tensor indices, string name) : Node
{
    public override string Name => name;
    internal override Tensor?[] Apply(Tensor g) => [Tensor.PoolScatter(g, indices, inputShape, name)];
}

/// <summary>Max pooling's backward (a scatter to the maxima): its gradient is gathered from the maxima.</summary>
internal sealed class MaxPoolScatterBackward(Tensor indices, string name) : Node
{
    public override string Name => name.Replace("Backward0", "BackwardBackward0", StringComparison.Ordinal);
    internal override Tensor?[] Apply(Tensor g) => [Tensor.PoolGather(g, indices, name)];
}
