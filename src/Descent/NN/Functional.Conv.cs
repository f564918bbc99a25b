using Descent.Kernels;
using Descent.Tensors;

namespace Descent.NN;

// Convolutions as one op (Tensor.Convolution): per image, im2col into a cached buffer and one matrix product per group
// straight into the output.
public static partial class Functional
{
    /// <summary>
    /// 2-D convolution (cross-correlation) of input [N, C_in, H, W] or [C_in, H, W] with weight
    /// [C_out, C_in/groups, kH, kW], like <c>F.conv2d</c>. Defaults: stride 1, padding 0, dilation 1, groups 1.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, IntPair? stride = null, ConvPadding? padding = null,
        IntPair? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Dim is not (3 or 4))
            throw new ArgumentException($"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {ShapeHelper.Format(input.shape)}");
        bool batched = input.Dim == 4;
        var x = batched ? input : input.Unsqueeze(0);
        var r = Convolution(x, weight, bias, stride ?? 1, padding ?? 0, dilation ?? 1, groups, false);
        return batched ? r : r.Squeeze(0);
    }

    /// <summary>
    /// 1-D convolution of input [N, C_in, L] or [C_in, L] with weight [C_out, C_in/groups, k], like <c>F.conv1d</c>.
    /// Defaults: stride 1, padding 0, dilation 1, groups 1.
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, ConvPadding? padding = null, int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Dim is not (2 or 3))
            throw new ArgumentException($"Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: {ShapeHelper.Format(input.shape)}");
        var p = padding ?? 0;
        if (p.Mode is null && p.Size.First != p.Size.Second)
            throw new ArgumentException($"expected padding to be a single integer value or a list of 1 values to match the convolution dimensions, but got padding=[{p.Size.First}, {p.Size.Second}]");
        bool batched = input.Dim == 3;
        var x = (batched ? input : input.Unsqueeze(0)).Unsqueeze(2);
        // As one row of a 2-D convolution: kernel height 1, no padding, stride and dilation 1 along the height.
        var w = weight.Dim == 3 ? weight.Unsqueeze(2) : weight;
        var p2 = p.Mode is { } mode ? (ConvPadding)mode : (0, p.Size.First);
        var r = Convolution(x, w, bias, (1, stride), p2, (1, dilation), groups, true, weight).Squeeze(2);
        return batched ? r : r.Squeeze(0);
    }

    /// <summary>The shared body: input [N, C, H, W]; <paramref name="original"/> is the weight as given (for messages).</summary>
    private static Tensor Convolution(Tensor x, Tensor weight, Tensor? bias, IntPair stride, ConvPadding padding, IntPair dilation, int groups,
        bool oneD, Tensor? original = null)
    {
        var w0 = original ?? weight;
        int spatial = oneD ? 1 : 2;
        CheckConvArguments(padding, stride, dilation, groups, oneD);
        if (w0.Dim != spatial + 2)
            throw new ArgumentException(
                $"Expected {w0.Dim}-dimensional input for {w0.Dim}-dimensional weight {ShapeHelper.Format(w0.shape)}, but got {spatial + 2}-dimensional input of size {ShapeHelper.Format(oneD ? x.Squeeze(2).shape : x.shape)} instead");
        int cout = weight.shape[0];
        if (cout < groups)
            throw new ArgumentException($"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of size {ShapeHelper.Format(w0.shape)} instead");
        if (cout % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{ShapeHelper.Format(w0.shape)}] instead");
        int cin = x.shape[1], cinG = weight.shape[1];
        if (cin != cinG * groups)
            throw new ArgumentException(
                $"Given groups={groups}, weight of size {ShapeHelper.Format(w0.shape)}, expected input{ShapeHelper.Format(oneD ? x.Squeeze(2).shape : x.shape)} to have {cinG * groups} channels, but got {cin} channels instead");
        if (bias is not null && (bias.Dim != 1 || bias.shape[0] != cout))
            throw new ArgumentException(
                $"Given weight of size {ShapeHelper.Format(w0.shape)}, expected bias to be 1-dimensional with {cout} elements, but got bias of size {ShapeHelper.Format(bias.shape)} instead");
        if (x.DType != weight.DType || (bias is not null && bias.DType != weight.DType))
            throw new ArgumentException($"expected scalar type {x.DType.ScalarTypeName()} but found {(x.DType != weight.DType ? weight : bias!).DType.ScalarTypeName()}");
        Tensor.RequireFloat(x, "conv2d");

        int h = x.shape[2], wd = x.shape[3], kh = weight.shape[2], kw = weight.shape[3];
        int effH = dilation.First * (kh - 1) + 1, effW = dilation.Second * (kw - 1) + 1;
        // "same" pads (k_eff − 1) in total, the odd one on the far side (which im2col reads as zeros past the input).
        int padH, padW, totalH, totalW;
        if (padding.Mode == "same") { totalH = effH - 1; totalW = effW - 1; padH = totalH / 2; padW = totalW / 2; }
        else { padH = padding.Size.First; padW = padding.Size.Second; totalH = 2 * padH; totalW = 2 * padW; }
        if (h + totalH < effH || wd + totalW < effW)
        {
            string padded = oneD ? $"({wd + totalW})" : $"({h + totalH} x {wd + totalW})";
            string kernel = oneD ? $"({effW})" : $"({effH} x {effW})";
            throw new ArgumentException($"Calculated padded input size per channel: {padded}. Kernel size: {kernel}. Kernel size can't be greater than actual input size");
        }
        int oh = (h + totalH - effH) / stride.First + 1, ow = (wd + totalW - effW) / stride.Second + 1;
        var win = new Window(h, wd, kh, kw, stride.First, stride.Second, padH, padW, dilation.First, dilation.Second, oh, ow);
        return Tensor.Convolution(x, weight, bias, win, groups);
    }

    private static void CheckConvArguments(ConvPadding padding, IntPair stride, IntPair dilation, int groups, bool oneD)
    {
        if (padding.Mode is { } mode)
        {
            if (mode != "same" && mode != "valid")
                throw new ArgumentException($"Invalid padding string '{mode}'");
            if (mode == "same" && (stride.First != 1 || stride.Second != 1))
                throw new ArgumentException("padding='same' is not supported for strided convolutions");
        }
        else if (padding.Size.First < 0 || padding.Size.Second < 0) throw new ArgumentException("negative padding is not supported");
        if (stride.First <= 0 || stride.Second <= 0) throw new ArgumentException("non-positive stride is not supported");
        if (dilation.First <= 0 || dilation.Second <= 0) throw new ArgumentException("dilation should be greater than zero");
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        _ = oneD;
    }
}
