namespace Descent.Optim.Schedulers;

/// <summary>
/// The attributes a scheduler's state dict holds, each named once with PyTorch's key, in PyTorch's order:
/// <see cref="LRScheduler.StateDict"/> saves them and <see cref="LRScheduler.LoadStateDict"/> restores the ones a dict
/// has (others keep their values, as PyTorch's <c>__dict__.update</c>), from this one list.
/// </summary>
internal interface ISchedulerAttributes
{
    /// <summary>Adds <paramref name="owner"/>'s attributes to <paramref name="state"/>, in order.</summary>
    void Save(LRScheduler owner, IDictionary<string, object?> state);

    /// <summary>Restores the attributes <paramref name="state"/> has into <paramref name="owner"/>, in order.</summary>
    void Load(LRScheduler owner, IReadOnlyDictionary<string, object?> state);
}

/// <summary>
/// The attribute list of scheduler type <typeparamref name="T"/>, built entry by entry: each kind says how a value is
/// saved and read back (<see cref="StateValue"/> accepts what a checkpoint gives: longs, lists, JSON elements).
/// <see cref="Then"/> appends another list (a scheduler's own attributes, then the base ones).
/// </summary>
/// <typeparam name="T">The scheduler type whose fields the entries read and write.</typeparam>
internal sealed class SchedulerAttributes<T> : ISchedulerAttributes where T : LRScheduler
{
    private readonly List<Entry> entries = [];
    private readonly List<Action<T>> afterLoad = [];
    private ISchedulerAttributes? next;

    /// <summary>A number.</summary>
    public SchedulerAttributes<T> Double(string key, Func<T, double> get, Action<T, double> set) =>
        Add(key, s => get(s), (s, v) => set(s, StateValue.Double(v, key)));

    /// <summary>A number or None.</summary>
    public SchedulerAttributes<T> OptionalDouble(string key, Func<T, double?> get, Action<T, double?> set) =>
        Add(key, s => get(s), (s, v) => set(s, StateValue.IsNone(v) ? null : StateValue.Double(v, key)));

    /// <summary>An integer.</summary>
    public SchedulerAttributes<T> Int(string key, Func<T, int> get, Action<T, int> set) =>
        Add(key, s => get(s), (s, v) => set(s, StateValue.Int(v, key)));

    /// <summary>A bool.</summary>
    public SchedulerAttributes<T> Bool(string key, Func<T, bool> get, Action<T, bool> set) =>
        Add(key, s => get(s), (s, v) => set(s, StateValue.Bool(v, key)));

    /// <summary>A string; None read back leaves the attribute as it is.</summary>
    public SchedulerAttributes<T> String(string key, Func<T, string> get, Action<T, string> set) =>
        Add(key, s => get(s), (s, v) =>
        {
            if (StateValue.String(v, key) is { } str) set(s, str);
        });

    /// <summary>A list of numbers, saved as a copy.</summary>
    public SchedulerAttributes<T> Doubles(string key, Func<T, double[]> get, Action<T, double[]> set) =>
        Add(key, s => get(s).ToArray(), (s, v) => set(s, StateValue.Doubles(v, key)));

    /// <summary>A list of integers, saved as a copy.</summary>
    public SchedulerAttributes<T> Ints(string key, Func<T, int[]> get, Action<T, int[]> set) =>
        Add(key, s => get(s).ToArray(), (s, v) => set(s, StateValue.Ints(v, key)));

    /// <summary>A value saved but not read back (PyTorch's flags and unpicklable functions, saved as placeholders).</summary>
    public SchedulerAttributes<T> SaveOnly(string key, Func<T, object?> get) => Add(key, get, null);

    /// <summary>A value with its own conversions both ways (nested structures).</summary>
    public SchedulerAttributes<T> Custom(string key, Func<T, object?> save, Action<T, object?> load) => Add(key, save, load);

    /// <summary>Makes the last entry saved only when <paramref name="condition"/> holds (it is read back whenever present).</summary>
    public SchedulerAttributes<T> When(Func<T, bool> condition)
    {
        var last = entries[^1];
        entries[^1] = last with { Condition = condition };
        return this;
    }

    /// <summary>Runs <paramref name="action"/> once this list's entries are loaded (derived fields rebuilt from loaded ones).</summary>
    public SchedulerAttributes<T> AfterLoad(Action<T> action)
    {
        afterLoad.Add(action);
        return this;
    }

    /// <summary>Appends <paramref name="rest"/>: saved and loaded after this list's entries.</summary>
    public SchedulerAttributes<T> Then(ISchedulerAttributes rest)
    {
        next = rest;
        return this;
    }

    /// <inheritdoc/>
    public void Save(LRScheduler owner, IDictionary<string, object?> state)
    {
        var s = (T)owner;
        foreach (var e in entries)
            if (e.Condition is null || e.Condition(s)) state[e.Key] = e.Save(s);
        next?.Save(owner, state);
    }

    /// <inheritdoc/>
    public void Load(LRScheduler owner, IReadOnlyDictionary<string, object?> state)
    {
        var s = (T)owner;
        foreach (var e in entries)
            if (e.Load is not null && state.TryGetValue(e.Key, out var v)) e.Load(s, v);
        foreach (var a in afterLoad) a(s);
        next?.Load(owner, state);
    }

    private SchedulerAttributes<T> Add(string key, Func<T, object?> save, Action<T, object?>? load)
    {
        entries.Add(new(key, save, load, null));
        return this;
    }

    private sealed record Entry(string Key, Func<T, object?> Save, Action<T, object?>? Load, Func<T, bool>? Condition);
}
