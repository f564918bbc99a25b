namespace Descent.Optim.Schedulers;

/// <summary>
/// Gives each parameter group its own scheduler, like current PyTorch's
/// <c>torch.optim.lr_scheduler.ParamwiseScheduler</c> (not in 1.13): <c>schedulers[i]</c> sets group i's lr.
/// All schedulers share one optimizer and there is one per group. On construction every group's lr is reset to
/// <c>initial_lr</c>, the initial steps the schedulers took are undone (recursively through composites), and each
/// takes its initial step again. Each <see cref="Step()"/> steps every scheduler from the same starting lrs and
/// then gives group i the lr scheduler i computed for it.
/// </summary>
public sealed class ParamwiseScheduler : LRScheduler
{
    private readonly LRScheduler[] schedulers;

    /// <summary>One scheduler per parameter group, in group order.</summary>
    public ParamwiseScheduler(IReadOnlyList<LRScheduler> schedulers) : base(First(schedulers).Optimizer)
    {
        this.schedulers = [.. schedulers];
        int groups = Optimizer.ParamGroups.Count;
        if (schedulers.Count != groups)
            throw new ArgumentException(
                $"Number of schedulers must match the number of parameter groups in the optimizer. Got {schedulers.Count} schedulers and {groups} parameter groups.");
        if (!schedulers.All(s => ReferenceEquals(s.Optimizer, Optimizer)))
            throw new ArgumentException("All schedulers must use the same optimizer instance.");

        foreach (var g in Optimizer.ParamGroups) g.Lr = g.GetDouble("initial_lr");
        Undo(this);
        InitialStep();
        LastLr = GroupLrs();
    }

    private static LRScheduler First(IReadOnlyList<LRScheduler> schedulers)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        // PyTorch reads schedulers[0] first, so an empty list fails with an IndexError.
        if (schedulers.Count == 0) throw new ArgumentOutOfRangeException(nameof(schedulers), "list index out of range");
        return schedulers[0];
    }

    private static void Undo(LRScheduler s)
    {
        if (s.Children is { } children)
            foreach (var c in children) Undo(c);
        else s.LastEpoch -= 1;
    }

    /// <summary>The schedulers, one per group.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    internal override IReadOnlyList<LRScheduler>? Children => schedulers;

    /// <summary>Steps every scheduler from the same lrs; group i takes scheduler i's lr for it.</summary>
    public override void Step()
    {
        var groups = Optimizer.ParamGroups;
        var lrs = GroupLrs();
        foreach (var s in schedulers)
        {
            if (IsInitial) s.InitialStep();
            else s.Step();
            for (int i = 0; i < groups.Count; i++) groups[i].Lr = lrs[i];
        }
        for (int i = 0; i < Math.Min(groups.Count, schedulers.Length); i++) groups[i].Lr = schedulers[i].GetLastLr()[i];
        LastLr = GroupLrs();
    }

    /// <summary>Not available: PyTorch's <c>ParamwiseScheduler.step()</c> takes no epoch.</summary>
    public override void Step(int epoch) =>
        throw new NotSupportedException("ParamwiseScheduler.step() takes no epoch argument");

    /// <summary>Not available: the lrs come from the per-group schedulers.</summary>
    protected override double[] ComputeLr() => throw new NotSupportedException("ParamwiseScheduler has no get_lr()");

    /// <summary>
    /// The attributes of the state dict, each named once: PyTorch's attributes of this scheduler (it has no base lrs
    /// or epoch) and each scheduler's state.
    /// </summary>
    private static readonly SchedulerAttributes<ParamwiseScheduler> OwnAttributes = new SchedulerAttributes<ParamwiseScheduler>()
        .Int("_step_count", s => s.StepCount, (s, v) => s.StepCount = v)
        .SaveOnly("_is_initial", s => s.IsInitial)
        .Doubles("_last_lr", s => s.LastLr, (s, v) => s.LastLr = v)
        .Custom("_schedulers", s => CompositeCheck.SaveChildren(s.schedulers), (s, v) => CompositeCheck.LoadChildren(s.schedulers, v));

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
