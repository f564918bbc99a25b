namespace Descent.Optim.Schedulers;

/// <summary>
/// Multiplies each group's lr by a function of the epoch at every step, like
/// <c>torch.optim.lr_scheduler.MultiplicativeLR</c>: <c>lr ← lr · λ(last_epoch)</c> (not on the initial step).
/// One function for all groups, or one per group; the functions are not saved in the state dict.
/// </summary>
public sealed class MultiplicativeLR : LRScheduler
{
    private readonly Func<int, double>[] lrLambdas;

    /// <summary>One factor function for every group.</summary>
    public MultiplicativeLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = DefaultLastEpoch)
        : this(optimizer, (IReadOnlyList<Func<int, double>>)LambdaLR.Replicate(optimizer, lrLambda), lastEpoch) { }

    /// <summary>One factor function per group; refuses a list of the wrong length with PyTorch's message.</summary>
    public MultiplicativeLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas,
        int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        this.lrLambdas = LambdaLR.CheckLambdas(optimizer, lrLambdas);
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (IsInitial) return lrs;
        for (int i = 0; i < lrs.Length; i++) lrs[i] *= lrLambdas[i](LastEpoch);
        return lrs;
    }

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<MultiplicativeLR> OwnAttributes = new SchedulerAttributes<MultiplicativeLR>()
        .SaveOnly("lr_lambdas", s => new object?[s.lrLambdas.Length]) // functions are not saved
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
