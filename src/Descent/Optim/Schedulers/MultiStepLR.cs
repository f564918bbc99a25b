namespace Descent.Optim.Schedulers;

/// <summary>
/// Decays each group's lr by <c>gamma</c> once the epoch reaches each milestone, like
/// <c>torch.optim.lr_scheduler.MultiStepLR</c>: <c>lr = base_lr · gamma^(number of milestones ≤ last_epoch)</c>.
/// Defaults: gamma 0.1. As in PyTorch the milestones are a multiset (a <c>Counter</c>): order does not matter and
/// a repeated milestone decays by gamma once per occurrence; they are not otherwise validated.
/// </summary>
public sealed class MultiStepLR : LRScheduler
{
    private Dictionary<int, int> milestones;
    private double gamma;

    /// <summary>PyTorch's defaults, shared by the constructors and the scheduler registry.</summary>
    public const double DefaultGamma = 0.1;

    /// <summary>Decays by <paramref name="gamma"/> at each of <paramref name="milestones"/>.</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = DefaultGamma,
        int lastEpoch = DefaultLastEpoch) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        this.milestones = Count(milestones);
        this.gamma = gamma;
        Initialize(lastEpoch);
    }

    private static Dictionary<int, int> Count(IEnumerable<int> values)
    {
        var d = new Dictionary<int, int>();
        foreach (var m in values) d[m] = d.GetValueOrDefault(m) + 1;
        return d;
    }

    /// <summary>The milestones with their multiplicities.</summary>
    public IReadOnlyDictionary<int, int> Milestones => milestones;

    /// <inheritdoc/>
    protected override double[] ComputeLr()
    {
        var lrs = GroupLrs();
        if (!milestones.TryGetValue(LastEpoch, out int count)) return lrs;
        double f = Math.Pow(gamma, count);
        return lrs.Select(lr => lr * f).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
    {
        var sorted = milestones.SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).Order().ToArray();
        int k = PyMath.BisectRight(sorted, LastEpoch);
        return BaseLrValues.Select(b => b * Math.Pow(gamma, k)).ToArray();
    }

    // Milestones as saved (epoch → count), or as a checkpoint gives them back (string keys).
    private static Dictionary<int, int> ReadMilestones(object? value) => value switch
    {
        IReadOnlyDictionary<int, int> d => new Dictionary<int, int>(d),
        _ => StateValue.Dict(value, "milestones").ToDictionary(
            kv => int.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), kv => StateValue.Int(kv.Value, "milestones")),
    };

    /// <summary>The attributes of the state dict, each named once: this scheduler's own, then the base ones.</summary>
    private static readonly SchedulerAttributes<MultiStepLR> OwnAttributes = new SchedulerAttributes<MultiStepLR>()
        .Custom("milestones", s => new Dictionary<int, int>(s.milestones), (s, v) => s.milestones = ReadMilestones(v))
        .Double("gamma", s => s.gamma, (s, v) => s.gamma = v)
        .Then(Common);

    private protected override ISchedulerAttributes Attributes => OwnAttributes;
}
