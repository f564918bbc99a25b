using Descent.Autograd;

namespace Descent.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The slices along <paramref name="dim"/> as views with one node between them, like <c>unbind</c>: backward stacks
    /// their gradients once, where a <see cref="Select"/> per slice would place each into a zero tensor the size of the
    /// whole. For the recurrent layers, which read their input projection step by step; the views are read-only there.
    /// Past 255 slices (a node's output limit) each slice is a <see cref="Select"/>.
    /// </summary>
    internal Tensor[] UnbindViews(int dim)
    {
        int d = ShapeHelper.WrapDim(dim, Dim), n = shape[d];
        var outs = new Tensor[n];
        if (n > byte.MaxValue || !Graph.Needs(this))
        {
            for (int i = 0; i < n; i++) outs[i] = Select(d, i);
            return outs;
        }
        using (GradMode.Set(false))
            for (int i = 0; i < n; i++) outs[i] = Select(d, i);
        var node = new UnbindBackward(shape, d, DType, n);
        Graph.Connect(node, [this]);
        for (int i = 0; i < n; i++)
        {
            outs[i].gradFn = node;
            outs[i].outputNr = (byte)i;
        }
        return outs;
    }
}
