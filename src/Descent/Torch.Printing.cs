using Descent.Tensors;

namespace Descent;

public static partial class Torch
{
    /// <summary>
    /// Sets how tensors print, like <c>torch.set_printoptions</c>. <paramref name="profile"/> ("default", "short",
    /// "full") is applied first, then the given options. As in PyTorch, <paramref name="sciMode"/> is always set,
    /// so leaving it out returns to automatic choice. The options are process-wide.
    /// </summary>
    public static void SetPrintOptions(int? precision = null, double? threshold = null, int? edgeItems = null,
        int? lineWidth = null, bool? sciMode = null, string? profile = null)
    {
        switch (profile)
        {
            case null: break;
            case "default": (PrintOptions.Precision, PrintOptions.Threshold, PrintOptions.EdgeItems, PrintOptions.LineWidth) = (4, 1000, 3, 80); break;
            case "short": (PrintOptions.Precision, PrintOptions.Threshold, PrintOptions.EdgeItems, PrintOptions.LineWidth) = (2, 1000, 2, 80); break;
            case "full": (PrintOptions.Precision, PrintOptions.Threshold, PrintOptions.EdgeItems, PrintOptions.LineWidth) = (4, double.PositiveInfinity, 3, 80); break;
            default: throw new ArgumentException($"Unknown print profile '{profile}'; expected default, short or full.");
        }
        if (precision is { } p) PrintOptions.Precision = p;
        if (threshold is { } t) PrintOptions.Threshold = t;
        if (edgeItems is { } e) PrintOptions.EdgeItems = e;
        if (lineWidth is { } w) PrintOptions.LineWidth = w;
        PrintOptions.SciMode = sciMode;
    }
}
