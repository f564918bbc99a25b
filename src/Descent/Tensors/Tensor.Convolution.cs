using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// Convolution as one op and one node (PyTorch's ConvolutionBackward0); Descent.NN.Functional checks the arguments.
public sealed partial class Tensor
{
    /// <summary>
    /// x [B, Cin, H, W] convolved with weight [Cout, Cin/groups, KH, KW] (plus bias [Cout]) over window
    /// <paramref name="w"/>: y [B, Cout, OH, OW]. See <see cref="ConvKernels"/>.
    /// </summary>
    internal static Tensor Convolution(Tensor x, Tensor weight, Tensor? bias, Window w, int groups)
    {
        var geo = new ConvGeometry(x.shape[0], x.shape[1], weight.shape[0], groups, w);
        var y = AllocateForOverwrite(x.DType, [geo.Batch, geo.Cout, w.OH, w.OW]);
        using (GradMode.Set(false))
        {
            Tensor xc = x.Contiguous(), wc = weight.Contiguous(), bc = bias?.Contiguous()!;
            if (x.DType == DType.Float32)
                ConvKernels.Forward(geo, xc.Data<float>(), xc.offset, wc.Data<float>(), wc.offset, bc?.Data<float>(), bc?.offset ?? 0, y.Data<float>());
            else
                ConvKernels.Forward(geo, xc.Data<double>(), xc.offset, wc.Data<double>(), wc.offset, bc?.Data<double>(), bc?.offset ?? 0, y.Data<double>());
        }
        if (!GradMode.IsEnabled || !(x.RequiresGrad || weight.RequiresGrad || bias?.RequiresGrad == true)) return y;
        var node = new ConvolutionBackward(x, weight, geo, bias is not null);
        return bias is null ? Graph.Attach(y, node, x, weight) : Graph.Attach(y, node, x, weight, bias);
    }

    /// <summary>The gradients of <see cref="Convolution"/>'s inputs from gy, through the kernels; null where not wanted.</summary>
    internal static (Tensor? Input, Tensor? Weight, Tensor? Bias) ConvolutionGrads(Tensor gy, Tensor x, Tensor weight, ConvGeometry geo,
        bool input, bool weightGrad, bool bias)
    {
        Tensor gc = gy.Contiguous(), xc = x.Contiguous(), wc = weight.Contiguous();
        var gx = input ? Allocate(x.DType, (int[])x.shape.Clone()) : null;
        var gw = weightGrad ? AllocateForOverwrite(x.DType, (int[])weight.shape.Clone()) : null;
        var gb = bias ? AllocateForOverwrite(x.DType, [geo.Cout]) : null;
        if (x.DType == DType.Float32)
            ConvKernels.Backward(geo, gc.Data<float>(), gc.offset, xc.Data<float>(), xc.offset, wc.Data<float>(), wc.offset,
                gx?.Data<float>(), gw?.Data<float>(), gb?.Data<float>());
        else
            ConvKernels.Backward(geo, gc.Data<double>(), gc.offset, xc.Data<double>(), xc.offset, wc.Data<double>(), wc.offset,
                gx?.Data<double>(), gw?.Data<double>(), gb?.Data<double>());
        return (gx, gw, gb);
    }
}
