using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// The sliding-window primitives convolution and pooling are built from (Descent.NN.Functional checks the arguments).
// Each is linear in its tensor input and its gradient is the other of a pair (im2col / col2im, max pooling's
// scatter / gather), so every order of derivative is these ops again.
public sealed partial class Tensor
{
    /// <summary>x [B, C, H, W] as columns [C·KH·KW, B·OH·OW] (zeros outside the input), like <c>F.unfold</c> with the batch in the columns.</summary>
    internal static Tensor Im2Col(Tensor x, Window w)
    {
        var xc = x.Contiguous();
        int batch = xc.shape[0], channels = xc.shape[1];
        var cols = AllocateForOverwrite(xc.DType, [channels * w.K, batch * w.L]);
        if (xc.DType == DType.Float32) WindowKernels.Im2Col(xc.Data<float>(), xc.offset, cols.Data<float>(), batch, channels, w);
        else WindowKernels.Im2Col(xc.Data<double>(), xc.offset, cols.Data<double>(), batch, channels, w);
        return Graph.Needs(x) ? Graph.Attach(cols, new Im2ColBackward(batch, channels, w), x) : cols;
    }

    /// <summary>Columns [C·KH·KW, B·OH·OW] summed back into [B, C, H, W]: the adjoint of <see cref="Im2Col"/>.</summary>
    internal static Tensor Col2Im(Tensor cols, int batch, int channels, Window w)
    {
        var cc = cols.Contiguous();
        var x = Allocate(cc.DType, [batch, channels, w.H, w.W]);
        if (cc.DType == DType.Float32) WindowKernels.Col2Im(cc.Data<float>(), cc.offset, x.Data<float>(), batch, channels, w);
        else WindowKernels.Col2Im(cc.Data<double>(), cc.offset, x.Data<double>(), batch, channels, w);
        return Graph.Needs(cols) ? Graph.Attach(x, new Col2ImBackward(w), cols) : x;
    }

    /// <summary>
    /// Max pooling of x [B, C, H, W] to [B, C, OH, OW], with the index of each maximum in its plane (int64, as
    /// <c>return_indices</c> gives them). <paramref name="name"/> is the grad_fn's name.
    /// </summary>
    internal static (Tensor Output, Tensor Indices) MaxPool(Tensor x, Window w, string name)
    {
        var xc = x.Contiguous();
        int batch = xc.shape[0], channels = xc.shape[1];
        int[] outShape = [batch, channels, w.OH, w.OW];
        var y = AllocateForOverwrite(xc.DType, outShape);
        var idx = AllocateForOverwrite(DType.Int64, (int[])outShape.Clone());
        int planes = batch * channels;
        if (planes == 0 || w.L == 0) { }
        else if (xc.DType == DType.Float32) WindowKernels.MaxPool(xc.Data<float>(), xc.offset, y.Data<float>(), idx.Data<long>(), planes, w);
        else WindowKernels.MaxPool(xc.Data<double>(), xc.offset, y.Data<double>(), idx.Data<long>(), planes, w);
        if (Graph.Needs(x)) Graph.Attach(y, new MaxPoolBackward(xc.shape, idx, name), x);
        return (y, idx);
    }

    /// <summary>y[b, c, l] = x[b, c, indices[b, c, l]] over flattened planes; x [B, C, H, W], indices [B, C, OH, OW].</summary>
    internal static Tensor PoolGather(Tensor x, Tensor indices, string name)
    {
        var xc = x.Contiguous();
        var y = AllocateForOverwrite(xc.DType, (int[])indices.shape.Clone());
        int planes = indices.shape[0] * indices.shape[1], plane = xc.shape[2] * xc.shape[3], l = indices.shape[2] * indices.shape[3];
        if (xc.DType == DType.Float32) WindowKernels.Gather<float>(xc.AsSpan<float>(), indices.AsSpan<long>(), y.AsSpan<float>(), planes, plane, l);
        else WindowKernels.Gather<double>(xc.AsSpan<double>(), indices.AsSpan<long>(), y.AsSpan<double>(), planes, plane, l);
        return Graph.Needs(x) ? Graph.Attach(y, new MaxPoolBackward(xc.shape, indices, name), x) : y;
    }

    /// <summary>The adjoint of <see cref="PoolGather"/>: g [B, C, OH, OW] added into zeros of <paramref name="inputShape"/> at the indices.</summary>
    internal static Tensor PoolScatter(Tensor g, Tensor indices, int[] inputShape, string name)
    {
        var gc = g.Contiguous();
        var x = Allocate(gc.DType, (int[])inputShape.Clone());
        int planes = indices.shape[0] * indices.shape[1], plane = inputShape[2] * inputShape[3], l = indices.shape[2] * indices.shape[3];
        if (gc.DType == DType.Float32) WindowKernels.Scatter<float>(gc.AsSpan<float>(), indices.AsSpan<long>(), x.AsSpan<float>(), planes, plane, l);
        else WindowKernels.Scatter<double>(gc.AsSpan<double>(), indices.AsSpan<long>(), x.AsSpan<double>(), planes, plane, l);
        return Graph.Needs(g) ? Graph.Attach(x, new MaxPoolScatterBackward(indices, name), g) : x;
    }
}
