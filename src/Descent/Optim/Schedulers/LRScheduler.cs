using System.Runtime.CompilerServices;
using Descent.Diagnostics;

namespace Descent.Optim.Schedulers;

/// <summary>
/// Base class of the learning-rate schedulers, like <c>torch.optim.lr_scheduler.LRScheduler</c>.
/// <para>
/// On construction with <c>lastEpoch = -1</c> each group gets <c>initial_lr</c> (its current <c>lr</c>, unless
/// already set); with any other <c>lastEpoch</c> (resuming) every group must already have it. <see cref="BaseLrs"/>
/// are the groups' <c>initial_lr</c>s. The constructor then performs the initial step, which sets the lr for
/// epoch 0. Each <see cref="Step()"/> afterwards advances <see cref="LastEpoch"/> by one and sets every group's
/// <c>lr</c> from the chainable form (<see cref="GetLr"/>, computed from the groups' current lrs, so
/// schedulers compose). <see cref="Step(int)"/> (deprecated in PyTorch) jumps to an epoch using the closed form
/// where the scheduler has one.
/// </para>
/// <para>
/// Calling <see cref="Step()"/> before the optimizer has stepped raises PyTorch's warning through
/// <see cref="Warnings"/>: the first scheduler attached to an optimizer registers a step pre-hook on it
/// that records that it has stepped (PyTorch wraps <c>optimizer.step</c> to the same end).
/// </para>
/// </summary>
public abstract class LRScheduler
{
    /// <summary>PyTorch's default <c>last_epoch</c>: -1, a fresh start (the schedulers' constructors and the registry share it).</summary>
    public const int DefaultLastEpoch = -1;

    internal const string EpochDeprecationWarning =
        "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. " +
        "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, " +
        "the closed form is used instead of the new chainable form, where available. Please open an issue if you are " +
        "unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.";

    internal const string StepOrderWarning =
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call " +
        "them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in " +
        "PyTorch skipping the first value of the learning rate schedule. See more details at " +
        "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

    internal const string GetLrWarning = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.";

    // One per optimizer, like PyTorch's `_opt_called` flag set by the wrapped `optimizer.step`.
    private static readonly ConditionalWeakTable<Optimizer, StepTracker> Trackers = new();

    private bool getLrCalledWithinStep;

    /// <summary>Stores the optimizer; the subclass sets its own fields, then calls <see cref="Initialize"/>.</summary>
    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
    }

    /// <summary>The wrapped optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The index of the last epoch (or batch) stepped; PyTorch's <c>last_epoch</c>.</summary>
    public int LastEpoch { get; protected internal set; } = -1;

    /// <summary>Each group's <c>initial_lr</c> when the scheduler was created; PyTorch's <c>base_lrs</c>.</summary>
    public IReadOnlyList<double> BaseLrs => BaseLrValues;

    /// <summary>The mutable <see cref="BaseLrs"/>, for schedulers that replace them (CyclicLR).</summary>
    protected double[] BaseLrValues { get; set; } = [];

    /// <summary>Steps taken, the initial one included; PyTorch's <c>_step_count</c>.</summary>
    protected int StepCount { get; set; }

    /// <summary>True while the constructor's initial step runs; PyTorch's <c>_is_initial</c>.</summary>
    protected bool IsInitial { get; private set; }

    /// <summary>The lrs set by the last step; PyTorch's <c>_last_lr</c>.</summary>
    protected double[] LastLr { get; set; } = [];

    /// <summary>The groups' current learning rates.</summary>
    protected double[] GroupLrs() => Optimizer.ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>
    /// Sets <c>initial_lr</c> and <see cref="BaseLrs"/>, hooks the optimizer and performs the initial step,
    /// like the end of PyTorch's <c>LRScheduler.__init__</c>.
    /// </summary>
    protected void Initialize(int lastEpoch)
    {
        var groups = Optimizer.ParamGroups;
        if (lastEpoch == -1)
        {
            foreach (var g in groups)
                if (!g.Has("initial_lr")) g["initial_lr"] = g.Lr;
        }
        else
        {
            for (int i = 0; i < groups.Count; i++)
                if (!groups[i].Has("initial_lr"))
                    throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
        }
        BaseLrValues = groups.Select(g => g.GetDouble("initial_lr")).ToArray();
        LastEpoch = lastEpoch;
        TrackOptimizerSteps(Optimizer);
        InitialStep();
    }

    internal static void TrackOptimizerSteps(Optimizer optimizer) => Trackers.GetValue(optimizer, StepTracker.Attach);

    private static bool OptimizerHasStepped(Optimizer optimizer) => Trackers.TryGetValue(optimizer, out var t) && t.Called;

    /// <summary>Resets the step count and performs the initial step, like <c>_initial_step</c>.</summary>
    protected internal void InitialStep()
    {
        StepCount = 0;
        IsInitial = true;
        try { Step(); }
        finally { IsInitial = false; }
    }

    /// <summary>The learning rates set by the last step, like <c>get_last_lr()</c>.</summary>
    public IReadOnlyList<double> GetLastLr() => LastLr;

    /// <summary>
    /// The chainable form: the next learning rates from the groups' current ones, like <c>get_lr()</c>. Called
    /// outside <see cref="Step()"/> it warns, as PyTorch does (use <see cref="GetLastLr"/>); some schedulers
    /// (CyclicLR, OneCycleLR) also set momentum as a side effect.
    /// </summary>
    public double[] GetLr()
    {
        if (!getLrCalledWithinStep) Warnings.Warn(GetLrWarning);
        return ComputeLr();
    }

    /// <summary>The chainable form itself, for <see cref="LastEpoch"/>; see <see cref="GetLr"/>.</summary>
    protected abstract double[] ComputeLr();

    /// <summary>
    /// The closed form: the lrs for <see cref="LastEpoch"/> computed from <see cref="BaseLrs"/> alone (PyTorch's
    /// <c>_get_closed_form_lr</c>), or null where PyTorch has none. <see cref="Step(int)"/> uses it.
    /// </summary>
    public double[]? GetClosedFormLr() => ClosedFormLr();

    /// <summary>The closed form itself; null (the default) where the scheduler has none.</summary>
    protected virtual double[]? ClosedFormLr() => null;

    /// <summary>Advances one epoch and sets every group's lr, like <c>step()</c>.</summary>
    public virtual void Step()
    {
        WarnIfOptimizerHasNotStepped();
        StepCount++;
        UpdateLr(null);
    }

    /// <summary>
    /// Jumps to <paramref name="epoch"/>, like the deprecated <c>step(epoch)</c>: warns, then uses the closed
    /// form where there is one, else the chainable form.
    /// </summary>
    public virtual void Step(int epoch)
    {
        WarnIfOptimizerHasNotStepped();
        StepCount++;
        Warnings.Warn(EpochDeprecationWarning);
        UpdateLr(epoch);
    }

    /// <summary>
    /// The step a training loop takes after each <c>optimizer.Step()</c> when it does not know which scheduler
    /// it drives: <see cref="Step()"/>, or for <see cref="ReduceLROnPlateau"/> a step with the loss as metric.
    /// </summary>
    public virtual void StepAfterOptimizer(double loss) => Step();

    private void WarnIfOptimizerHasNotStepped()
    {
        if (StepCount == 1 && !OptimizerHasStepped(Optimizer)) Warnings.Warn(StepOrderWarning);
    }

    /// <summary>Computes and applies the lrs for the next epoch, or for <paramref name="epoch"/>, like <c>_update_lr</c>.</summary>
    internal void UpdateLr(int? epoch)
    {
        double[] values;
        getLrCalledWithinStep = true;
        try
        {
            if (epoch is null)
            {
                LastEpoch++;
                values = ComputeLr();
            }
            else
            {
                LastEpoch = epoch.Value;
                values = ClosedFormLr() ?? ComputeLr();
            }
        }
        finally { getLrCalledWithinStep = false; }
        ApplyLrs(values);
    }

    /// <summary>Writes <paramref name="values"/> into the groups (zip semantics) and records them as the last lrs.</summary>
    protected void ApplyLrs(IReadOnlyList<double> values)
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < Math.Min(groups.Count, values.Count); i++) groups[i].Lr = values[i];
        LastLr = GroupLrs();
    }

    /// <summary>Runs <paramref name="compute"/> as if inside a step (no <see cref="GetLr"/> warning).</summary>
    protected T WithinStep<T>(Func<T> compute)
    {
        getLrCalledWithinStep = true;
        try { return compute(); }
        finally { getLrCalledWithinStep = false; }
    }

    /// <summary>Child schedulers of a composite (Chained, Sequential); null for a plain one.</summary>
    internal virtual IReadOnlyList<LRScheduler>? Children => null;

    /// <summary>
    /// The state as PyTorch's <c>state_dict()</c> has it: one entry per attribute (PyTorch names), without the
    /// optimizer. Values are doubles, ints, bools, strings, arrays and nested dicts; functions (lambdas, custom
    /// scale functions) are not saved, as in PyTorch.
    /// </summary>
    public virtual Dictionary<string, object?> StateDict()
    {
        var d = new Dictionary<string, object?>();
        Attributes.Save(this, d);
        return d;
    }

    /// <summary>
    /// Restores a state from <see cref="StateDict"/>, like <c>load_state_dict</c> (which updates the
    /// attributes present in the dict; others keep their values).
    /// </summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        Attributes.Load(this, stateDict);
    }

    /// <summary>
    /// The attributes <see cref="StateDict"/> and <see cref="LoadStateDict"/> read, each named once: by default the
    /// base ones (<see cref="Common"/>); a scheduler with attributes of its own lists them, then appends these.
    /// </summary>
    private protected virtual ISchedulerAttributes Attributes => Common;

    /// <summary>The attributes every epoch-based scheduler has, in PyTorch's order after a scheduler's own.</summary>
    private protected static readonly SchedulerAttributes<LRScheduler> Common = new SchedulerAttributes<LRScheduler>()
        .Doubles("base_lrs", s => s.BaseLrValues, (s, v) => s.BaseLrValues = v)
        .Int("last_epoch", s => s.LastEpoch, (s, v) => s.LastEpoch = v)
        .Int("_step_count", s => s.StepCount, (s, v) => s.StepCount = v)
        .SaveOnly("_is_initial", s => s.IsInitial)
        .SaveOnly("_get_lr_called_within_step", s => s.getLrCalledWithinStep)
        .Doubles("_last_lr", s => s.LastLr, (s, v) => s.LastLr = v);

    /// <summary>Records that an optimizer has stepped since the first scheduler was attached to it.</summary>
    private sealed class StepTracker
    {
        public bool Called;

        public static StepTracker Attach(Optimizer optimizer)
        {
            var t = new StepTracker();
            optimizer.RegisterStepPreHook(_ => t.Called = true);
            return t;
        }
    }
}
