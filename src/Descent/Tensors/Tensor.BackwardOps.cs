using Descent.Autograd;

namespace Descent.Tensors;

// Ops that only backward formulas use, each with its own backward, so that a gradient computed under create_graph
// can be differentiated again: placing a gradient into zeros (the backward of a view), taking a view's region back
// out, and the scatter-adds that undo gather and index_select.
public sealed partial class Tensor
{
    /// <summary>
    /// A new tensor that is zero but for <paramref name="g"/> placed by <paramref name="place"/> (which runs without
    /// grad mode); its backward takes the region back out with <paramref name="gather"/>, a differentiable view.
    /// </summary>
    internal static Tensor ScatterIntoZeros(Tensor g, Func<Tensor, Tensor> place, Func<Tensor, Tensor> gather, string name)
    {
        Tensor r;
        using (GradMode.Set(false)) r = place(g);
        return Graph.Needs(g) ? Graph.Attach(r, new ViewScatterBackward(gather, name), g) : r;
    }

    /// <summary>
    /// The region <paramref name="layout"/> describes, of a tensor <paramref name="x"/> of its base's shape, as a new
    /// contiguous tensor; its backward places the gradient back (<see cref="AsStridedBackward"/>).
    /// </summary>
    internal static Tensor ViewGather(Tensor x, StridedLayout layout)
    {
        Tensor r;
        using (GradMode.Set(false))
        {
            var b = layout.NewBaseLike(x.DType);
            b.CopyFromUnchecked(x);
            r = layout.ViewIn(b).Clone();
        }
        return Graph.Needs(x) ? Graph.Attach(r, new AsStridedBackward(layout), x) : r;
    }

    /// <summary>zeros(shape).scatter_add_(dim, index, src); its backward gathers at the same index.</summary>
    internal static Tensor ScatterAddIntoZeros(int[] shape, int dim, Tensor index, Tensor src)
    {
        var r = Zeros(shape, src.DType);
        using (GradMode.Set(false)) r.ScatterAddUnchecked(dim, index, src);
        return Graph.Needs(src) ? Graph.Attach(r, new ScatterAddBackward(dim, index), src) : r;
    }

    /// <summary>zeros(shape).index_add_(dim, index, src); its backward is index_select at the same index.</summary>
    internal static Tensor IndexAddIntoZeros(int[] shape, int dim, long[] index, Tensor src)
    {
        var r = Zeros(shape, src.DType);
        using (GradMode.Set(false))
            for (int i = 0; i < index.Length; i++) r.Select(dim, (int)index[i]).Add_(src.Select(dim, i));
        return Graph.Needs(src) ? Graph.Attach(r, new IndexAddBackward(dim, index), src) : r;
    }
}
