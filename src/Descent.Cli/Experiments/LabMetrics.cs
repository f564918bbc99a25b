using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>Classification metrics the lab reports.</summary>
public static class LabMetrics
{
    /// <summary>Fraction of rows whose highest score is the target class.</summary>
    public static double Accuracy(Tensor logits, Tensor target)
    {
        var predicted = logits.Argmax(1).ToArray<long>();
        var expected = target.ToArray<long>();
        int hits = 0;
        for (int i = 0; i < predicted.Length; i++)
            if (predicted[i] == expected[i]) hits++;
        return predicted.Length == 0 ? 0 : (double)hits / predicted.Length;
    }
}
