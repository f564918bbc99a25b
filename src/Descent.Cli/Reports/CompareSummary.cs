using Descent.Cli.Experiments;

namespace Descent.Cli.Reports;

/// <summary>One optimizer's row in the comparison table.</summary>
internal sealed record CompareSummary(string Name, string Settings, double LastEpochMean, double FinalLoss, double? Accuracy)
{
    /// <summary>The rows for a finished comparison, in the optimizers' order.</summary>
    public static IReadOnlyList<CompareSummary> From(ComparisonResult result, IReadOnlyList<OptimizerSpec> specs)
    {
        var rows = new List<CompareSummary>();
        for (int i = 0; i < result.Optimizers.Count; i++)
        {
            var (name, losses) = result.Optimizers[i];
            int n = Math.Min(result.StepsPerEpoch, losses.Length);
            double mean = 0;
            for (int t = losses.Length - n; t < losses.Length; t++) mean += losses[t];
            mean = n > 0 ? mean / n : double.NaN;
            rows.Add(new CompareSummary(name, specs[i].Settings, mean, losses.Length > 0 ? losses[^1] : double.NaN, result.Accuracies?[i]));
        }
        return rows;
    }
}
