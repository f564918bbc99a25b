using Descent.Kernels;
using Descent.Tensors;

namespace Descent.NN;

// Pooling over [N, C, H, W] or [C, H, W] (1-D: [N, C, L] or [C, L], run as a 2-D pooling of height 1, as ATen does).
public static partial class Functional
{
    private const string MaxPoolName = "MaxPool2DWithIndicesBackward0";

    /// <summary>
    /// Max pooling, like <c>F.max_pool2d</c>. Defaults: stride = kernel size, padding 0 (implicit −∞), dilation 1,
    /// floor rounding of the output size (<paramref name="ceilMode"/> rounds up).
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, IntPair kernelSize, IntPair? stride = null, IntPair? padding = null, IntPair? dilation = null,
        bool ceilMode = false) => MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;

    /// <summary>
    /// <see cref="MaxPool2d"/> with the index of each maximum in its flattened [H, W] plane, like
    /// <c>F.max_pool2d(..., return_indices=True)</c>.
    /// </summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, IntPair kernelSize, IntPair? stride = null, IntPair? padding = null,
        IntPair? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4)) throw new ArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        var s = stride ?? kernelSize;
        var w = PoolWindow(input, kernelSize, s, padding ?? 0, dilation ?? 1, ceilMode);
        bool batched = input.Dim == 4;
        var (y, idx) = Tensor.MaxPool(batched ? input : input.Unsqueeze(0), w, MaxPoolName);
        return batched ? (y, idx) : (y.Squeeze(0), idx.Squeeze(0));
    }

    /// <summary>1-D max pooling, like <c>F.max_pool1d</c>; defaults as <see cref="MaxPool2d"/>.</summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;

    /// <summary>1-D max pooling with the index of each maximum along the length, like <c>F.max_pool1d(..., return_indices=True)</c>.</summary>
    public static (Tensor Output, Tensor Indices) MaxPool1dWithIndices(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1,
        bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (2 or 3))
            throw new ArgumentException($"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:{ShapeHelper.Format(input.shape)}");
        int k = kernelSize, st = stride ?? kernelSize;
        if (k <= 0) throw new ArgumentException($"max_pool1d() kernel_size must be greater than zero, but got {k}");
        if (st <= 0) throw new ArgumentException($"max_pool1d() stride must be greater than zero, but got {st}");
        if (padding < 0) throw new ArgumentException($"max_pool1d() padding must be non-negative, but got {padding}");
        if (padding > k / 2) throw new ArgumentException($"max_pool1d() padding should be at most half of kernel size, but got padding={padding} and kernel_size={k}");
        if (dilation <= 0) throw new ArgumentException($"max_pool1d() dilation must be greater than zero, but got {dilation}");
        int ow = PoolOutputSize(input.shape[^1], k, padding, st, dilation, ceilMode);
        if (ow < 0) throw new ArgumentException($"max_pool1d() Invalid computed output size: {ow}");
        var (y, idx) = MaxPool2dWithIndices(input.Unsqueeze(-2), (1, k), (1, st), (0, padding), (1, dilation), ceilMode);
        return (y.Squeeze(-2), idx.Squeeze(-2));
    }

    /// <summary>
    /// Average pooling, like <c>F.avg_pool2d</c>. Defaults: stride = kernel size, padding 0 (zeros, counted in the
    /// divisor unless <paramref name="countIncludePad"/> is false), floor rounding; <paramref name="divisorOverride"/>
    /// replaces the divisor.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, IntPair kernelSize, IntPair? stride = null, IntPair? padding = null, bool ceilMode = false,
        bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4)) throw new ArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        if (divisorOverride == 0) throw new ArgumentException("divisor must be not zero");
        var w = PoolWindow(input, kernelSize, stride ?? kernelSize, padding ?? 0, 1, ceilMode);
        bool batched = input.Dim == 4;
        var x = batched ? input : input.Unsqueeze(0);
        int n = x.shape[0], c = x.shape[1];
        // Each plane as a one-channel image: its columns [kH·kW, N·C·L] summed over the taps, then divided.
        var cols = Tensor.Im2Col(x.Reshape(n * c, 1, w.H, w.W), w);
        var y = cols.Sum(0).View(n * c, w.L).Div(AvgPoolDivisors(w, countIncludePad, divisorOverride, x.DType)).View(n, c, w.OH, w.OW);
        return batched ? y : y.Squeeze(0);
    }

    /// <summary>1-D average pooling, like <c>F.avg_pool1d</c>; defaults as <see cref="AvgPool2d"/>.</summary>
    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (2 or 3))
            throw new ArgumentException($"avg_pool1d(): Expected 2D or 3D input tensor, but got {ShapeHelper.Format(input.shape)}");
        return AvgPool2d(input.Unsqueeze(-2), (1, kernelSize), (1, stride ?? kernelSize), (0, padding), ceilMode, countIncludePad).Squeeze(-2);
    }

    /// <summary>
    /// Average pooling to a fixed output size, like <c>F.adaptive_avg_pool2d</c>: output cell i covers input rows
    /// ⌊i·H/oH⌋ to ⌈(i+1)·H/oH⌉, likewise for columns.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, IntPair outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4))
            throw new ArgumentException($"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {ShapeHelper.Format(input.shape)}");
        for (int d = input.Dim - 2; d < input.Dim; d++)
            if (input.shape[d] <= 0)
                throw new ArgumentException(
                    $"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {ShapeHelper.Format(input.shape)} with dimension {d} being empty");
        if (outputSize.First < 0 || outputSize.Second < 0)
            throw new ArgumentException($"adaptive_avg_pool2d(): output_size must be non-negative, but got {outputSize}");
        // Averaging is separable: rows by one matrix, columns by another.
        var rows = AdaptiveMatrix(outputSize.First, input.shape[^2], input.DType);
        var cols = AdaptiveMatrix(outputSize.Second, input.shape[^1], input.DType);
        return rows.Matmul(input).Matmul(cols.T());
    }

    /// <summary>[outSize, inSize] with 1/count over each adaptive window.</summary>
    private static Tensor AdaptiveMatrix(int outSize, int inSize, DType dtype)
    {
        var m = new double[outSize * inSize];
        for (int i = 0; i < outSize; i++)
        {
            int start = (int)Math.Floor((double)i * inSize / outSize);
            int end = (int)Math.Ceiling((double)(i + 1) * inSize / outSize);
            for (int j = start; j < end; j++) m[i * inSize + j] = 1.0 / (end - start);
        }
        return Tensor.FromArray(m, outSize, inSize).To(dtype);
    }

    /// <summary>The divisor of each output position, ATen's rule: the window clipped to the padded input, or to the input itself.</summary>
    private static Tensor AvgPoolDivisors(Window w, bool countIncludePad, int? divisorOverride, DType dtype)
    {
        var d = new double[w.L];
        for (int oh = 0; oh < w.OH; oh++)
            for (int ow = 0; ow < w.OW; ow++)
            {
                int h0 = oh * w.SH - w.PH, w0 = ow * w.SW - w.PW;
                int h1 = Math.Min(h0 + w.KH, w.H + w.PH), w1 = Math.Min(w0 + w.KW, w.W + w.PW);
                int poolSize = (h1 - h0) * (w1 - w0);
                h0 = Math.Max(h0, 0);
                w0 = Math.Max(w0, 0);
                h1 = Math.Min(h1, w.H);
                w1 = Math.Min(w1, w.W);
                d[oh * w.OW + ow] = divisorOverride ?? (countIncludePad ? poolSize : (h1 - h0) * (w1 - w0));
            }
        return Tensor.FromArray(d, w.L).To(dtype);
    }

    /// <summary>The window of a 2-D pooling, with ATen's checks in its order (pooling_output_shape, then pool2d_shape_check).</summary>
    private static Window PoolWindow(Tensor input, IntPair k, IntPair s, IntPair p, IntPair d, bool ceilMode)
    {
        int h = input.shape[^2], wd = input.shape[^1], planes = input.shape[^3];
        int oh = PoolOutputSize(h, k.First, p.First, s.First, d.First, ceilMode);
        int ow = PoolOutputSize(wd, k.Second, p.Second, s.Second, d.Second, ceilMode);
        if (k.First <= 0 || k.Second <= 0)
            throw new ArgumentException($"kernel size should be greater than zero, but got kH: {k.First} kW: {k.Second}");
        if (s.First <= 0 || s.Second <= 0)
            throw new ArgumentException($"stride should be greater than zero, but got dH: {s.First} dW: {s.Second}");
        if (d.First <= 0 || d.Second <= 0)
            throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {d.First} dilationW: {d.Second}");
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"Given input size: ({planes}x{h}x{wd}). Calculated output size: ({planes}x{oh}x{ow}). Output size is too small");
        return new Window(h, wd, k.First, k.Second, s.First, s.Second, p.First, p.Second, d.First, d.Second, oh, ow);
    }

    /// <summary>ATen's pooling_output_shape: floor (or ceil) division, and no window may start in the right padding.</summary>
    private static int PoolOutputSize(int size, int kernel, int pad, int stride, int dilation, bool ceilMode)
    {
        if (stride == 0) throw new ArgumentException("stride should not be zero");
        if (pad < 0) throw new ArgumentException($"pad must be non-negative, but got pad: {pad}");
        if (pad > kernel / 2) throw new ArgumentException($"pad should be at most half of kernel size, but got pad={pad} and kernel_size={kernel}");
        long num = (long)size + 2 * pad - (long)dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long o = (long)Math.Floor((double)num / stride) + 1;
        if (ceilMode && (o - 1) * stride >= size + pad) o--;
        return (int)o;
    }
}
