namespace Descent.Optim.Schedulers;

/// <summary>
/// Sets each group's lr to its initial lr times a function of the epoch, like <c>torch.optim.lr_scheduler.LambdaLR</c>:
/// <c>lr = base_lr · λ(last_epoch)</c>. One function for all groups, or one per group.
/// The functions are not part of the state dict (PyTorch saves only callable objects' attributes; a C# delegate
/// has none), so after <see cref="LRScheduler.LoadStateDict"/> the scheduler keeps the functions it was built with.
/// </summary>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double>[] lrLambdas;

    /// <summary>One factor function for every group.</summary>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda, int lastEpoch = DefaultLastEpoch)
        : this(optimizer, (IReadOnlyList<Func<int, double>>)Replicate(optimizer, lrLambda), lastEpoch) { }

    /// <summary>One factor function per group; refuses a list of the wrong length with PyTorch's message.</summary>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas, int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        this.lrLambdas = CheckLambdas(optimizer, lrLambdas);
        Initialize(lastEpoch);
    }

    internal static Func<int, double>[] Replicate(Optimizer optimizer, Func<int, double> f)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(f);
        return Enumerable.Repeat(f, optimizer.ParamGroups.Count).ToArray();
    }

    internal static Func<int, double>[] CheckLambdas(Optimizer optimizer, IReadOnlyList<Func<int, double>> lambdas)
    {
        ArgumentNullException.ThrowIfNull(lambdas);
        int n = optimizer.ParamGroups.Count;
        if (lambdas.Count != n) throw new ArgumentException($"Expected {n} lr_lambdas, but got {lambdas.Count}");
        foreach (var f in lambdas) ArgumentNullException.ThrowIfNull(f, "lr_lambda");
        return [.. lambdas];
    }

    /// <inheritdoc/>
    protected override double[] ComputeLr() =>
        BaseLrValues.Select((b, i) => b * lrLambdas[i](LastEpoch)).ToArray();

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<LambdaLR> OwnAttributes = new SchedulerAttributes<LambdaLR>()
        .SaveOnly("lr_lambdas", s => new object?[s.lrLambdas.Length]) // functions are not saved
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
