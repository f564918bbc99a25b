using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// softmax and log_softmax along a dimension, with dedicated backward nodes (numerically stable forms).
public sealed partial class Tensor
{
    /// <summary>exp(x) / Σ exp(x) along <paramref name="dim"/>, like <c>torch.softmax(input, dim)</c>.</summary>
    public Tensor Softmax(int dim) => SoftmaxImpl(dim, log: false);

    /// <summary>x − log Σ exp(x) along <paramref name="dim"/>, like <c>torch.log_softmax(input, dim)</c>.</summary>
    public Tensor LogSoftmax(int dim) => SoftmaxImpl(dim, log: true);

    private Tensor SoftmaxImpl(int dim, bool log)
    {
        RequireFloat(this, log ? "log_softmax" : "softmax");
        int d = ShapeHelper.WrapDim(dim, Dim);
        var (outer, n, inner) = SplitAt(shape, d);
        var x = Detach().Contiguous();
        var r = Allocate(DType, (int[])shape.Clone());
        if (DType == DType.Float32) SoftmaxKernel.Forward<float>(x.AsSpan<float>(), r.AsSpan<float>(), outer, n, inner, log);
        else SoftmaxKernel.Forward<double>(x.AsSpan<double>(), r.AsSpan<double>(), outer, n, inner, log);
        return Graph.Needs(this) ? Graph.Attach(r, new SoftmaxBackward(r, d, log), this) : r;
    }

    /// <summary>A shape seen as [outer, shape[dim], inner]; a 0-d tensor is [1, 1, 1].</summary>
    internal static (int Outer, int N, int Inner) SplitAt(int[] shape, int dim)
    {
        if (shape.Length == 0) return (1, 1, 1);
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }
}
