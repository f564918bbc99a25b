using Descent.NN;
using Descent.Tensors;

namespace Descent.Serialization;

// Convolution and pooling layers, with the attributes PyTorch 1.13's __init__ sets, in its order.
public static partial class ModuleClasses
{
    private const string Conv = "torch.nn.modules.conv.", Pooling = "torch.nn.modules.pooling.";

    private static void RegisterLayers()
    {
        Register(Conv + "Conv2d", LoadConv2d, m => ConvAttributes(m.InChannels, m.OutChannels, [m.KernelSize.First, m.KernelSize.Second],
            [m.Stride.First, m.Stride.Second], m.Padding.Mode is null ? [m.Padding.Size.First, m.Padding.Size.Second] : null, m.Padding.Mode,
            [m.Dilation.First, m.Dilation.Second], m.Groups));
        Register(Conv + "Conv1d", LoadConv1d, m => ConvAttributes(m.InChannels, m.OutChannels, [m.KernelSize], [m.Stride],
            m.Padding.Mode is null ? [m.Padding.Size.First] : null, m.Padding.Mode, [m.Dilation], m.Groups));
        Register(Pooling + "MaxPool2d",
            s => new MaxPool2d(Pair(s, "kernel_size"), Pair(s, "stride"), Pair(s, "padding"), Pair(s, "dilation"), s.GetBool("return_indices"), s.GetBool("ceil_mode"))
            { TupleSizes = s.Get("kernel_size") is PyTuple },
            m => [("kernel_size", PoolRepr.Value(m.KernelSize, m.TupleSizes)), ("stride", PoolRepr.Value(m.Stride, m.TupleSizes)), ("padding", PoolRepr.Value(m.Padding, m.TupleSizes)),
                ("dilation", PoolRepr.Value(m.Dilation, m.TupleSizes)), ("return_indices", m.ReturnIndices), ("ceil_mode", m.CeilMode)]);
        Register(Pooling + "MaxPool1d",
            s => new MaxPool1d(Pair(s, "kernel_size").First, Pair(s, "stride").First, Pair(s, "padding").First, Pair(s, "dilation").First,
                s.GetBool("return_indices"), s.GetBool("ceil_mode")),
            m => [("kernel_size", (long)m.KernelSize), ("stride", (long)m.Stride), ("padding", (long)m.Padding), ("dilation", (long)m.Dilation),
                ("return_indices", m.ReturnIndices), ("ceil_mode", m.CeilMode)]);
        Register(Pooling + "AvgPool2d",
            s => new AvgPool2d(Pair(s, "kernel_size"), Pair(s, "stride"), Pair(s, "padding"), s.GetBool("ceil_mode"), s.GetBool("count_include_pad"),
                s.GetOptionalInt("divisor_override"))
            { TupleSizes = s.Get("kernel_size") is PyTuple },
            m => [("kernel_size", PoolRepr.Value(m.KernelSize, m.TupleSizes)), ("stride", PoolRepr.Value(m.Stride, m.TupleSizes)), ("padding", PoolRepr.Value(m.Padding, m.TupleSizes)),
                ("ceil_mode", m.CeilMode), ("count_include_pad", m.CountIncludePad), ("divisor_override", m.DivisorOverride is { } d ? (long)d : null)]);
        Register(Pooling + "AvgPool1d",
            s => new AvgPool1d(Pair(s, "kernel_size").First, Pair(s, "stride").First, Pair(s, "padding").First, s.GetBool("ceil_mode"), s.GetBool("count_include_pad")),
            m => [("kernel_size", new PyTuple((long)m.KernelSize)), ("stride", new PyTuple((long)m.Stride)), ("padding", new PyTuple((long)m.Padding)),
                ("ceil_mode", m.CeilMode), ("count_include_pad", m.CountIncludePad)]);
        Register(Pooling + "AdaptiveAvgPool2d", s => new AdaptiveAvgPool2d(Pair(s, "output_size")) { TupleSizes = s.Get("output_size") is PyTuple }, m => [("output_size", PoolRepr.Value(m.OutputSize, m.TupleSizes))]);
    }

    /// <summary>An int or a tuple of one or two ints, as a pair.</summary>
    private static IntPair Pair(SavedModule s, string name) => s.Get(name) switch
    {
        long v => checked((int)v),
        PyTuple { Count: 1 } t when t[0] is long a => checked((int)a),
        PyTuple { Count: 2 } t when t[0] is long a && t[1] is long b => (checked((int)a), checked((int)b)),
        var other => throw s.Bad($"attribute '{name}' is {PickleRepr.Of(other)}, not an int or a tuple of ints"),
    };

    private static Conv2d LoadConv2d(SavedModule s)
    {
        var (weight, bias, inChannels, groups) = ConvParameters(s, 4);
        return new Conv2d(weight, bias, inChannels, Pair(s, "stride"), ConvPaddingOf(s), Pair(s, "dilation"), groups);
    }

    private static Conv1d LoadConv1d(SavedModule s)
    {
        var (weight, bias, inChannels, groups) = ConvParameters(s, 3);
        var p = ConvPaddingOf(s);
        return new Conv1d(weight, bias, inChannels, Pair(s, "stride").First, p.Mode ?? (ConvPadding)p.Size.First, Pair(s, "dilation").First, groups);
    }

    private static (Tensor Weight, Tensor? Bias, int InChannels, int Groups) ConvParameters(SavedModule s, int dims)
    {
        if (s.GetString("padding_mode") != "zeros") throw s.Bad($"padding_mode '{s.GetString("padding_mode")}' is not supported");
        if (s.Has("transposed") && s.GetBool("transposed")) throw s.Bad("transposed convolutions are not supported");
        int inChannels = s.GetInt("in_channels"), outChannels = s.GetInt("out_channels"), groups = s.GetInt("groups");
        var weight = s.GetParameter("weight");
        var bias = s.GetOptionalParameter("bias");
        if (weight.Dim != dims || weight.Shape[0] != outChannels || groups <= 0 || weight.Shape[1] * groups != inChannels)
            throw s.Bad($"weight has shape {ShapeHelper.Format(weight.Shape)}, which does not fit in_channels={inChannels}, out_channels={outChannels}, groups={groups}");
        s.CheckShape(bias, "bias", outChannels);
        if (!weight.DType.IsFloatingPoint() || (bias is not null && bias.DType != weight.DType))
            throw s.Bad($"weight and bias are {weight.DType.TorchName()} and {bias?.DType.TorchName()}, not one floating-point dtype");
        return (weight, bias, inChannels, groups);
    }

    private static ConvPadding ConvPaddingOf(SavedModule s) => s.Get("padding") switch
    {
        string mode => mode,
        _ => Pair(s, "padding"),
    };

    /// <summary>_ConvNd's attributes, tuples as _pair/_single make them.</summary>
    private static (string Name, object? Value)[] ConvAttributes(int inChannels, int outChannels, int[] kernel, int[] stride, int[]? padding, string? mode,
        int[] dilation, int groups) =>
    [
        ("in_channels", (long)inChannels), ("out_channels", (long)outChannels), ("kernel_size", Tuple(kernel)), ("stride", Tuple(stride)),
        ("padding", padding is null ? mode : Tuple(padding)), ("dilation", Tuple(dilation)), ("transposed", false),
        ("output_padding", Tuple(new int[kernel.Length])), ("groups", (long)groups), ("padding_mode", "zeros"),
        ("_reversed_padding_repeated_twice", ReversedPadding(kernel, dilation, padding, mode)),
    ];

    private static PyTuple Tuple(int[] values) => new(Array.ConvertAll(values, v => (object?)(long)v));

    // A tuple for a numeric padding, a list for "same" / "valid", as _ConvNd.__init__ makes it.
    private static object ReversedPadding(int[] kernel, int[] dilation, int[]? padding, string? mode)
    {
        var r = ConvSettings.ReversedPadding(kernel, dilation, padding ?? new int[kernel.Length], mode);
        var items = Array.ConvertAll(r, v => (object?)v);
        return mode is null ? new PyTuple(items) : new List<object?>(items);
    }
}
