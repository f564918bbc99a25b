using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>
/// Losses the lab needs that the library does not have yet. Built from differentiable tensor ops, so autograd
/// gives their gradients.
/// </summary>
public static class LabLosses
{
    /// <summary>
    /// Cross-entropy of raw scores <paramref name="logits"/> (N×C) against class ids <paramref name="target"/>
    /// (N, int64), averaged over N, like <c>F.cross_entropy</c>: log-sum-exp of each row minus the target's score.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target)
    {
        var picked = logits.Gather(1, target.Unsqueeze(1)).Squeeze(1);
        return (logits.LogSumExp(1) - picked).Mean();
    }

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
