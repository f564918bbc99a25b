namespace Descent.Cli.Reports;

/// <summary>One-sentence descriptions of the optimizers, for the reports' "about" sections.</summary>
internal static class OptimizerNotes
{
    private static readonly Dictionary<string, string> Notes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SGD"] = "steps against the gradient, scaled by the learning rate: no memory, so it is slow along shallow directions and can zig-zag across steep ones.",
        ["Momentum"] = "SGD that keeps a running sum of past gradients (velocity); consistent directions speed up and oscillating ones partly cancel.",
        ["Nesterov"] = "momentum that evaluates the correction at the look-ahead point, which damps overshooting.",
        ["RMSprop"] = "divides each coordinate's step by a running root-mean-square of its gradients, so steep and shallow directions move at similar speeds.",
        ["Adam"] = "RMSprop's per-coordinate scaling combined with momentum, both bias-corrected for the first steps.",
        ["AdamW"] = "Adam with weight decay applied directly to the weights instead of through the gradient.",
        ["Adagrad"] = "scales each coordinate by the root of its summed squared gradients; steps shrink over time.",
        ["Adadelta"] = "Adagrad variant with running averages of squared gradients and of squared updates, nearly free of a learning rate.",
        ["Adamax"] = "Adam with the infinity norm in place of the root-mean-square.",
        ["NAdam"] = "Adam with Nesterov momentum.",
        ["RAdam"] = "Adam that switches on adaptive scaling only once its variance estimate is reliable.",
        ["ASGD"] = "SGD that also keeps a running average of the iterates.",
        ["Rprop"] = "uses only the sign of each gradient coordinate, growing the step while the sign holds and shrinking it when it flips.",
        ["LBFGS"] = "quasi-Newton method: builds a curvature estimate from recent gradients and may evaluate the loss several times per step.",
    };

    /// <summary>The note for an optimizer's display name, or null.</summary>
    public static string? For(string name)
    {
        // Names made unique with their settings ("Adam (lr=0.1)") share the base name's note.
        int paren = name.IndexOf(" (", StringComparison.Ordinal);
        return Notes.GetValueOrDefault(paren > 0 ? name[..paren] : name);
    }
}
