namespace Descent.Optim.Schedulers;

/// <summary>
/// Steps several chainable schedulers together, like <c>torch.optim.lr_scheduler.ChainedScheduler</c>: each
/// <see cref="Step()"/> steps every scheduler in order, so their factors compose. All must share one optimizer;
/// ReduceLROnPlateau is refused.
/// </summary>
public sealed class ChainedScheduler : LRScheduler
{
    private readonly LRScheduler[] schedulers;

    /// <summary>Chains <paramref name="schedulers"/>; <paramref name="optimizer"/> defaults to the first one's.</summary>
    public ChainedScheduler(IReadOnlyList<LRScheduler> schedulers, Optimizer? optimizer = null)
        : base(optimizer ?? FirstOptimizer(schedulers))
    {
        this.schedulers = CompositeCheck.Schedulers(nameof(ChainedScheduler), schedulers, Optimizer,
            $"{nameof(ChainedScheduler)} expects at least one scheduler to be chained, but got no scheduler.");
        LastLr = this.schedulers[^1].Optimizer.ParamGroups.Select(g => g.Lr).ToArray();
    }

    private static Optimizer FirstOptimizer(IReadOnlyList<LRScheduler> schedulers)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        if (schedulers.Count < 1)
            throw new ArgumentException($"{nameof(ChainedScheduler)} expects at least one scheduler to be chained, but got no scheduler.");
        return schedulers[0].Optimizer;
    }

    /// <summary>The chained schedulers.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    internal override IReadOnlyList<LRScheduler>? Children => schedulers;

    /// <summary>Steps every scheduler once, in order.</summary>
    public override void Step()
    {
        foreach (var s in schedulers) s.Step();
        LastLr = schedulers[^1].Optimizer.ParamGroups.Select(g => g.Lr).ToArray();
    }

    /// <summary>Not available: PyTorch's <c>ChainedScheduler.step()</c> takes no epoch.</summary>
    public override void Step(int epoch) =>
        throw new NotSupportedException("ChainedScheduler.step() takes no epoch argument");

    /// <summary>Not available: a chain has no chainable form of its own.</summary>
    protected override double[] ComputeLr() => throw new NotSupportedException("ChainedScheduler has no get_lr()");

    /// <summary>The attributes of the state dict, each named once: the chain's last lrs and each scheduler's state.</summary>
    private static readonly SchedulerAttributes<ChainedScheduler> OwnAttributes = new SchedulerAttributes<ChainedScheduler>()
        .Doubles("_last_lr", s => s.LastLr, (s, v) => s.LastLr = v)
        .Custom("_schedulers", s => CompositeCheck.SaveChildren(s.schedulers), (s, v) => CompositeCheck.LoadChildren(s.schedulers, v));

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
