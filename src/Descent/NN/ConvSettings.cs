using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// What Conv1d and Conv2d share: PyTorch's <c>_ConvNd</c> argument checks, its initialisation and its printed form.
/// Spatial sizes are kept as pairs (height, width); a 1-D layer uses the second of each.
/// </summary>
internal static class ConvSettings
{
    private static readonly string[] PaddingModes = ["zeros", "reflect", "replicate", "circular"];

    /// <summary>_ConvNd.__init__'s checks, with its messages.</summary>
    public static void Check(int inChannels, int outChannels, IntPair stride, ConvPadding padding, int groups, string paddingMode)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        if (padding.Mode is { } mode)
        {
            if (mode != "same" && mode != "valid")
                throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'same', 'valid'}}");
            if (mode == "same" && (stride.First != 1 || stride.Second != 1))
                throw new ArgumentException("padding='same' is not supported for strided convolutions");
        }
        if (Array.IndexOf(PaddingModes, paddingMode) < 0)
            throw new ArgumentException($"padding_mode must be one of {{'zeros', 'reflect', 'replicate', 'circular'}}, but got padding_mode='{paddingMode}'");
        if (paddingMode != "zeros") throw new NotSupportedException($"padding_mode='{paddingMode}' is not supported yet; only 'zeros' is");
    }

    /// <summary>_ConvNd.reset_parameters: kaiming_uniform_(a = √5) for the weight, U(±1/√fan_in) for the bias.</summary>
    public static void Reset(Tensor weight, Tensor? bias)
    {
        Init.KaimingUniform_(weight, a: Math.Sqrt(5));
        if (bias is not null)
        {
            int fanIn = Init.CalculateFanInAndFanOut(weight).FanIn;
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(bias, -bound, bound);
        }
    }

    /// <summary>_ConvNd.extra_repr, from the tuples as Python prints them.</summary>
    public static string Repr(int inChannels, int outChannels, string kernel, string stride, string padding, bool zeroPadding, string dilation,
        bool unitDilation, int groups, bool bias, string paddingMode)
    {
        var s = $"{inChannels}, {outChannels}, kernel_size={kernel}, stride={stride}";
        if (!zeroPadding) s += $", padding={padding}";
        if (!unitDilation) s += $", dilation={dilation}";
        if (groups != 1) s += $", groups={groups}";
        if (!bias) s += ", bias=False";
        if (paddingMode != "zeros") s += $", padding_mode={paddingMode}";
        return s;
    }

    /// <summary>_reversed_padding_repeated_twice, which F.pad would use: (left, right) per dimension, last dimension first.</summary>
    public static long[] ReversedPadding(int[] kernel, int[] dilation, int[] padding, string? mode)
    {
        var r = new long[2 * kernel.Length];
        for (int i = 0; i < kernel.Length; i++)
        {
            int j = kernel.Length - 1 - i;
            if (mode == "same")
            {
                int total = dilation[i] * (kernel[i] - 1);
                r[2 * j] = total / 2;
                r[2 * j + 1] = total - total / 2;
            }
            else if (mode is null) r[2 * j] = r[2 * j + 1] = padding[i];
        }
        return r;
    }
}
