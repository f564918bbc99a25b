namespace Descent.Optim.Schedulers;

/// <summary>
/// Runs schedulers one after another, switching at the milestones, like <c>torch.optim.lr_scheduler.SequentialLR</c>:
/// epochs before <c>milestones[0]</c> use <c>schedulers[0]</c>, and so on. On construction it resets every group's
/// lr to <c>initial_lr</c>, undoes the initial steps the given schedulers took (recursively through chains), and
/// re-runs only the first one's. At a milestone the next scheduler starts from epoch 0 with its closed form.
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] schedulers;
    private int[] milestones;

    /// <summary>Switches from <c>schedulers[i]</c> to <c>schedulers[i + 1]</c> at <c>milestones[i]</c>.</summary>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones,
        int lastEpoch = DefaultLastEpoch)
        : base(optimizer)
    {
        this.schedulers = CompositeCheck.Schedulers(nameof(SequentialLR), schedulers, optimizer,
            $"{nameof(SequentialLR)} expects at least one scheduler, but got no scheduler.");
        ArgumentNullException.ThrowIfNull(milestones);
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException(
                "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, " +
                $"but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}");
        this.milestones = [.. milestones];
        LastEpoch = lastEpoch + 1;

        foreach (var g in optimizer.ParamGroups) g.Lr = g.GetDouble("initial_lr");
        Undo(this);
        this.schedulers[0].InitialStep();
        LastLr = [.. this.schedulers[0].GetLastLr()];
    }

    // Undoes the initial step each (possibly nested) scheduler took when it was built.
    private static void Undo(LRScheduler s)
    {
        if (s.Children is { } children)
            foreach (var c in children) Undo(c);
        else s.LastEpoch -= 1;
    }

    /// <summary>The schedulers, in order.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => schedulers;

    /// <summary>The epochs at which the next scheduler takes over.</summary>
    public IReadOnlyList<int> Milestones => milestones;

    internal override IReadOnlyList<LRScheduler>? Children => schedulers;

    /// <summary>Advances one epoch with the scheduler in charge of it.</summary>
    public override void Step()
    {
        LastEpoch++;
        int idx = PyMath.BisectRight(milestones, LastEpoch);
        var s = schedulers[idx];
        if (idx > 0 && milestones[idx - 1] == LastEpoch) s.UpdateLr(0);
        else s.Step();
        LastLr = [.. s.GetLastLr()];
    }

    /// <summary>Not available: PyTorch's <c>SequentialLR.step()</c> takes no epoch.</summary>
    public override void Step(int epoch) =>
        throw new NotSupportedException("SequentialLR.step() takes no epoch argument");

    /// <summary>Not available: the sequence has no chainable form of its own.</summary>
    protected override double[] ComputeLr() => throw new NotSupportedException("SequentialLR has no get_lr()");

    /// <summary>The attributes of the state dict, each named once: the sequence's own and each scheduler's state.</summary>
    private static readonly SchedulerAttributes<SequentialLR> OwnAttributes = new SchedulerAttributes<SequentialLR>()
        .Ints("_milestones", s => s.milestones, (s, v) => s.milestones = v)
        .Int("last_epoch", s => s.LastEpoch, (s, v) => s.LastEpoch = v)
        .Doubles("_last_lr", s => s.LastLr, (s, v) => s.LastLr = v)
        .Custom("_schedulers", s => CompositeCheck.SaveChildren(s.schedulers), (s, v) => CompositeCheck.LoadChildren(s.schedulers, v));

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
