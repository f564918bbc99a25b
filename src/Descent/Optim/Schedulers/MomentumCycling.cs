namespace Descent.Optim.Schedulers;

/// <summary>
/// How CyclicLR and OneCycleLR reach a group's momentum: SGD-like optimizers have a <c>momentum</c> option;
/// Adam-like ones have <c>betas</c>, whose first entry (β₁) plays that role (PyTorch's <c>use_beta1</c>).
/// </summary>
internal static class MomentumCycling
{
    public const string Unsupported = "optimizer must support momentum or beta1 with `cycle_momentum` option enabled";

    /// <summary>Whether the optimizer uses β₁ rather than momentum; throws PyTorch's error when it has neither.</summary>
    public static bool UsesBeta1(Optimizer optimizer)
    {
        if (!optimizer.Defaults.ContainsKey("momentum") && !optimizer.Defaults.ContainsKey("betas"))
            throw new ArgumentException(Unsupported);
        return optimizer.Defaults.ContainsKey("betas");
    }

    /// <summary>Sets the group's momentum, or β₁ keeping β₂.</summary>
    public static void Set(ParamGroup group, double momentum, bool useBeta1)
    {
        if (useBeta1) group["betas"] = (momentum, group.GetPair("betas").Item2);
        else group["momentum"] = momentum;
    }

    /// <summary>The group's momentum, or β₁.</summary>
    public static double Get(ParamGroup group, bool useBeta1) =>
        useBeta1 ? group.GetPair("betas").Item1 : group.GetDouble("momentum");
}
