namespace Descent.Tensors;

/// <summary>
/// How tensors print, PyTorch's <c>torch._tensor_str.PRINT_OPTS</c>: process-wide, set with
/// <see cref="Torch.SetPrintOptions"/>.
/// </summary>
public static class PrintOptions
{
    /// <summary>Digits after the decimal point (default 4).</summary>
    public static int Precision { get; internal set; } = 4;

    /// <summary>Element count above which a tensor is summarised with <c>...</c> (default 1000; may be ∞).</summary>
    public static double Threshold { get; internal set; } = 1000;

    /// <summary>Items kept at each end of a summarised dimension (default 3).</summary>
    public static int EdgeItems { get; internal set; } = 3;

    /// <summary>Characters per line (default 80).</summary>
    public static int LineWidth { get; internal set; } = 80;

    /// <summary>Force scientific notation on (true) or off (false); null lets the formatter choose (default).</summary>
    public static bool? SciMode { get; internal set; }
}
