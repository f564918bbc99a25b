using System.Collections;
using Descent.Autograd;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Base class of all optimizers, like <c>torch.optim.Optimizer</c>: defaults, parameter groups, lazily created
/// typed per-parameter state, <see cref="ZeroGrad"/>, <see cref="Step"/>, <see cref="AddParamGroup"/>,
/// <see cref="StateDict"/>/<see cref="LoadStateDict"/> and hooks. Subclasses validate their arguments, resolve
/// defaults, and apply their update rule to one group at a time through a span kernel.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, object?> defaults;
    private readonly List<ParamGroup> paramGroups = [];
    private readonly Dictionary<Tensor, ParamState> state = new(ReferenceEqualityComparer.Instance);
    private readonly HookList<Action<Optimizer>> stepPreHooks = new(), stepPostHooks = new();
    private readonly HookList<Action<Optimizer>> stateDictPreHooks = new(), loadStateDictPostHooks = new();
    private readonly HookList<Func<Optimizer, OptimizerStateDict, OptimizerStateDict?>> stateDictPostHooks = new(), loadStateDictPreHooks = new();
    private static readonly HookList<Action<Optimizer>> GlobalStepPreHooks = new(), GlobalStepPostHooks = new();

    /// <summary>One group holding <paramref name="parameters"/>, with <paramref name="defaults"/> as its options.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, IReadOnlyDictionary<string, object?> defaults)
        : this(SingleGroup(parameters), defaults) { }

    /// <summary>Several groups; options a group does not set come from <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, object?> defaults)
    {
        this.defaults = new Dictionary<string, object?>(defaults);
        ImplementationFlags.Check(GetType().Name, this.defaults, this.defaults);
        var list = groups.ToList();
        if (list.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
        foreach (var g in list) AddParamGroup(g);
    }

    private static IEnumerable<ParamGroup> SingleGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        RejectUnordered(parameters);
        return [new ParamGroup(parameters)];
    }

    internal static void RejectUnordered(IEnumerable parameters)
    {
        if (parameters is ISet<Tensor> or IReadOnlySet<Tensor>)
            throw new ArgumentException(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.");
    }

    /// <summary>PyTorch's default of <c>capturable</c> and <c>differentiable</c>, for the optimizers that have them.</summary>
    public const bool DefaultCapturable = false, DefaultDifferentiable = false;

    /// <summary>Whether the defaults ask for a differentiable step: the step then runs with gradients enabled, as PyTorch's does.</summary>
    private bool DifferentiableDefault => defaults.TryGetValue(ImplementationFlags.Differentiable, out var d) && d is true;

    /// <summary>The default options, by PyTorch name.</summary>
    public IReadOnlyDictionary<string, object?> Defaults => defaults;

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => paramGroups;

    /// <summary>Per-parameter state, present for parameters that have been stepped.</summary>
    public IReadOnlyDictionary<Tensor, ParamState> State => state;

    /// <summary>
    /// Adds a group, filling unset options from the defaults, like <c>add_param_group</c>. Refuses an empty
    /// group, non-leaf tensors (unless the optimizer was made with <c>differentiable</c>, or they retain their
    /// gradient), parameters that already belong to another group, and implementation switches the optimizer does not
    /// have or combines as PyTorch refuses (see the constructors).
    /// </summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.Params.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
        foreach (var p in group.Params)
        {
            if (!DifferentiableDefault && !(p.IsLeaf || p.RetainsGrad)) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (!p.DType.IsFloatingPoint()) throw new ArgumentException($"optimizer can only optimize Tensors of floating point dtype, but one of the params is {p.DType.TorchName()}");
        }
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in paramGroups) foreach (var p in g.Params) seen.Add(p);
        foreach (var p in group.Params)
            if (seen.Contains(p)) throw new ArgumentException("some parameters appear in more than one parameter group");
        var own = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in group.Params)
            if (!own.Add(p))
                throw new ArgumentException("optimizer contains a parameter group with duplicate parameters");
        foreach (var (k, v) in defaults)
            if (!group.Has(k)) group[k] = v;
        ImplementationFlags.Check(GetType().Name, group.Options, defaults);
        ValidateGroup(group);
        group.OptimizerName = GetType().Name;
        paramGroups.Add(group);
    }

    /// <summary>Checks a group's options when it is added; subclasses refuse values their rule cannot use.</summary>
    protected virtual void ValidateGroup(ParamGroup group) { }

    /// <summary>
    /// Clears every parameter's gradient: to null by default (PyTorch 2.x), or to zeros in place, like <c>zero_grad</c>.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var g in paramGroups)
            foreach (var p in g.Params)
            {
                if (p.Grad is null) continue;
                if (setToNone) p.Grad = null;
                else
                {
                    p.Grad.Detach_();
                    p.Grad.FillUnchecked(0);
                    // A zeroed sparse gradient has no rows, as PyTorch's zero_() of a sparse tensor.
                    if (p.Grad.IsSparse) p.Grad.sparseRows = [];
                }
            }
    }

    /// <summary>
    /// Performs one optimization step, like <c>step(closure)</c>. The closure, when given, re-evaluates the model
    /// with gradients enabled and returns the loss, which is returned.
    /// </summary>
    public Tensor? Step(Func<Tensor>? closure = null)
    {
        GlobalStepPreHooks.Invoke(static (h, o) => h(o), this);
        stepPreHooks.Invoke(static (h, o) => h(o), this);
        CheckSparseGradients();
        var loss = StepCore(closure);
        stepPostHooks.Invoke(static (h, o) => h(o), this);
        GlobalStepPostHooks.Invoke(static (h, o) => h(o), this);
        return loss;
    }

    /// <summary>
    /// PyTorch's refusal of a row-sparse gradient (an <c>Embedding(sparse: true)</c>'s), e.g. "Adam does not support
    /// sparse gradients, please consider SparseAdam instead"; null where the optimizer takes them (SGD, Adagrad,
    /// SparseAdam, LBFGS).
    /// </summary>
    private protected virtual string? SparseGradientError(ParamGroup group) => $"{GetType().Name} does not support sparse gradients";

    private void CheckSparseGradients()
    {
        foreach (var g in paramGroups)
            foreach (var p in g.Params)
                if (p.Grad is { IsSparse: true } && SparseGradientError(g) is { } message)
                    throw new InvalidOperationException(message);
    }

    /// <summary>
    /// The step itself: by default, check what PyTorch refuses only when stepping (before anything changes), evaluate
    /// the closure, then update each group without recording gradients, or recording them when the optimizer was made
    /// with <c>differentiable</c> (PyTorch's <c>_use_grad_for_differentiable</c> reads the defaults, not the groups).
    /// </summary>
    protected virtual Tensor? StepCore(Func<Tensor>? closure)
    {
        foreach (var g in paramGroups) ImplementationFlags.CheckStep(GetType().Name, g);
        Tensor? loss = null;
        if (closure is not null)
            using (GradMode.Set(true)) loss = closure();
        using (GradMode.Set(DifferentiableDefault))
            foreach (var g in paramGroups)
            {
                if (ImplementationFlags.On(g, ImplementationFlags.Differentiable)) DifferentiableStep(g);
                else StepGroup(g);
            }
        return loss;
    }

    /// <summary>
    /// The update of a group with <c>differentiable</c> on, as recorded tensor operations (PyTorch's
    /// <c>_single_tensor_*</c> with <c>differentiable=True</c>). Every optimizer that accepts the switch overrides it;
    /// the others refuse the switch before a step, so this default is never reached through them.
    /// </summary>
    private protected virtual void DifferentiableStep(ParamGroup group) =>
        throw new NotSupportedException($"{GetType().Name} has no differentiable step");

    /// <summary>
    /// Applies the update rule to every parameter of <paramref name="group"/> that has a gradient: the elementwise
    /// optimizers read the group's hyperparameters into a rule and run it through their step loop.
    /// </summary>
    protected abstract void StepGroup(ParamGroup group);

    /// <summary>The state of <paramref name="p"/>, created by <paramref name="create"/> on first use.</summary>
    protected TState GetState<TState>(Tensor p, Func<Tensor, TState> create) where TState : ParamState
    {
        if (state.TryGetValue(p, out var s)) return (TState)s;
        var created = create(p);
        state[p] = created;
        return created;
    }

    /// <summary>The state of <paramref name="p"/>, if it has one (for the step loops).</summary>
    internal bool TryGetState(Tensor p, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ParamState? s) => state.TryGetValue(p, out s);

    /// <summary>Gives <paramref name="p"/> its first state (for the step loops) and returns it.</summary>
    internal TState AddState<TState>(Tensor p, TState s) where TState : ParamState
    {
        state[p] = s;
        return s;
    }

    /// <summary>Builds a parameter's typed state from its PyTorch state-dict entries (for <see cref="LoadStateDict"/>).</summary>
    protected abstract ParamState StateFromDict(Tensor param, IReadOnlyDictionary<string, object> entries, string paramName);

    /// <summary>The state in PyTorch's structure, like <c>state_dict()</c>. Tensors are shared, not copied.</summary>
    public OptimizerStateDict StateDict()
    {
        stateDictPreHooks.Invoke(h => h(this));
        var sd = new OptimizerStateDict { OptimizerName = GetType().Name };
        int next = 0;
        foreach (var g in paramGroups)
        {
            var d = new Dictionary<string, object?>();
            foreach (var (k, v) in g.Options) d[k] = v;
            var ids = new int[g.Params.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                var p = g.Params[i];
                ids[i] = next;
                // A state with no entries (SGD without momentum) is left out: PyTorch never creates it.
                if (state.TryGetValue(p, out var s) && s.ToStateDict().ToDictionary(e => e.Key, e => e.Value) is { Count: > 0 } entries)
                    sd.State[next] = entries;
                next++;
            }
            d["params"] = ids;
            sd.ParamGroups.Add(d);
        }
        foreach (var h in stateDictPostHooks.Snapshot()) sd = h(this, sd) ?? sd;
        return sd;
    }

    /// <summary>
    /// Loads a state dict, like <c>load_state_dict</c>: group options are replaced (parameters kept) and state is
    /// copied per parameter. Everything is checked first: a mismatched dict throws and changes nothing.
    /// </summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        foreach (var h in loadStateDictPreHooks.Snapshot()) stateDict = h(this, stateDict) ?? stateDict;
        if (stateDict.ParamGroups.Count != paramGroups.Count)
            throw new ArgumentException("loaded state dict has a different number of parameter groups");
        var idToParam = new Dictionary<int, (Tensor Param, string Name)>();
        for (int gi = 0; gi < paramGroups.Count; gi++)
        {
            var saved = stateDict.ParamGroups[gi];
            if (!saved.TryGetValue("params", out var idsObj) || idsObj is null)
                throw new ArgumentException($"loaded state dict's parameter group {gi} has no 'params'");
            var ids = ToIds(idsObj);
            if (ids.Length != paramGroups[gi].Params.Count)
                throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            for (int i = 0; i < ids.Length; i++)
                idToParam[ids[i]] = (paramGroups[gi].Params[i], $"{i} of group {gi} (id {ids[i]})");
        }
        var newState = new Dictionary<Tensor, ParamState>(ReferenceEqualityComparer.Instance);
        foreach (var (id, entries) in stateDict.State)
        {
            if (!idToParam.TryGetValue(id, out var target)) continue; // PyTorch ignores state for unknown ids
            newState[target.Param] = StateFromDict(target.Param, entries, target.Name);
        }
        // All checks passed: commit.
        state.Clear();
        foreach (var (p, s) in newState) state[p] = s;
        for (int gi = 0; gi < paramGroups.Count; gi++)
            foreach (var (k, v) in stateDict.ParamGroups[gi])
                if (k != "params") paramGroups[gi][k] = v;
        loadStateDictPostHooks.Invoke(h => h(this));
    }

    private static int[] ToIds(object ids) => ids switch
    {
        int[] a => a,
        long[] l => Array.ConvertAll(l, v => (int)v),
        IEnumerable<object> e => e.Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ => throw new ArgumentException("loaded state dict's 'params' is not a list of ids"),
    };

    /// <summary>Runs before every step of this optimizer; dispose the handle to remove it.</summary>
    public IDisposable RegisterStepPreHook(Action<Optimizer> hook) => stepPreHooks.Add(hook);

    /// <summary>Runs after every step of this optimizer.</summary>
    public IDisposable RegisterStepPostHook(Action<Optimizer> hook) => stepPostHooks.Add(hook);

    /// <summary>Runs before every step of every optimizer, like <c>register_optimizer_step_pre_hook</c>.</summary>
    public static IDisposable RegisterGlobalStepPreHook(Action<Optimizer> hook) => GlobalStepPreHooks.Add(hook);

    /// <summary>Runs after every step of every optimizer, like <c>register_optimizer_step_post_hook</c>.</summary>
    public static IDisposable RegisterGlobalStepPostHook(Action<Optimizer> hook) => GlobalStepPostHooks.Add(hook);

    /// <summary>Runs before <see cref="StateDict"/> builds the dict.</summary>
    public IDisposable RegisterStateDictPreHook(Action<Optimizer> hook) => stateDictPreHooks.Add(hook);

    /// <summary>Runs after <see cref="StateDict"/>; may return a replacement dict.</summary>
    public IDisposable RegisterStateDictPostHook(Func<Optimizer, OptimizerStateDict, OptimizerStateDict?> hook) => stateDictPostHooks.Add(hook);

    /// <summary>Runs before <see cref="LoadStateDict"/>; may return a replacement dict.</summary>
    public IDisposable RegisterLoadStateDictPreHook(Func<Optimizer, OptimizerStateDict, OptimizerStateDict?> hook) => loadStateDictPreHooks.Add(hook);

    /// <summary>Runs after <see cref="LoadStateDict"/> has loaded.</summary>
    public IDisposable RegisterLoadStateDictPostHook(Action<Optimizer> hook) => loadStateDictPostHooks.Add(hook);

    /// <summary>
    /// What <c>print(optimizer)</c> shows: the class name, then each group's options sorted by name, as
    /// <c>str</c> prints them (numbers in the Python type of PyTorch's default: <c>weight_decay: 0</c>).
    /// </summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder(GetType().Name).Append(" (");
        for (int i = 0; i < paramGroups.Count; i++)
        {
            sb.Append("\nParameter Group ").Append(i).Append('\n');
            foreach (var (k, v) in paramGroups[i].Options.OrderBy(e => e.Key, StringComparer.Ordinal))
                sb.Append("    ").Append(k).Append(": ").Append(OptionPrinting.Display(GetType().Name, k, v)).Append('\n');
        }
        return sb.Append(')').ToString();
    }
}
