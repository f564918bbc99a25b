using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// The entries of one optimizer's per-parameter state, each named once with PyTorch's key and type, in PyTorch's
/// order: <see cref="Save"/> (for <see cref="ParamState.ToStateDict"/>) and <see cref="Load"/> (for
/// <see cref="Optimizer.LoadStateDict"/>) both read this one list, so the two directions cannot drift apart.
/// </summary>
/// <remarks>
/// A schema starts from a blank state for a parameter (every buffer it always has, zero-filled): <see cref="Load"/>
/// makes one and fills it entry by entry, refusing a missing entry or a buffer of the wrong shape with the
/// messages of <see cref="ParamState"/>'s readers. The entry kinds:
/// <list type="bullet">
/// <item><see cref="Step"/>: a step count, saved as a float32 scalar tensor as PyTorch saves it (or a plain integer).</item>
/// <item><see cref="Buffer"/>: a tensor the blank state has; present exactly when it has it, read into it.</item>
/// <item><see cref="OptionalBuffer"/>: a tensor shaped like the parameter that exists only with some options; saved
/// when set, read when present and not None.</item>
/// <item><see cref="Float"/>: a float32 scalar kept as a number, saved as a scalar tensor.</item>
/// <item><see cref="Custom"/>: a value with its own conversions both ways (L-BFGS's vectors and histories).</item>
/// </list>
/// <see cref="OnlyIf"/> makes the entries after it exist only while a condition holds (L-BFGS before its first
/// iteration has its counters alone).
/// </remarks>
/// <typeparam name="TState">The state type.</typeparam>
internal sealed class StateSchema<TState> where TState : ParamState
{
    private readonly Func<Tensor, TState> blank;
    private readonly List<Entry> entries = [];

    /// <summary>A schema whose states start as <paramref name="blank"/> makes them for a parameter.</summary>
    public StateSchema(Func<Tensor, TState> blank) => this.blank = blank;

    /// <summary>The keys, in order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var e in entries)
                if (e.Key is not null) yield return e.Key;
        }
    }

    /// <summary>A blank state for <paramref name="param"/>.</summary>
    public TState Create(Tensor param) => blank(param);

    /// <summary>Adds the step count <paramref name="key"/>: a float32 scalar tensor, or with <paramref name="asTensor"/> false an integer.</summary>
    public StateSchema<TState> Step(Func<TState, long> get, Action<TState, long> set, string key = "step", bool asTensor = true)
    {
        entries.Add(new(key,
            s => asTensor ? Tensor.Scalar(get(s)) : (object)get(s),
            (s, _, d, name) => set(s, ParamState.ReadStep(d, name, key))));
        return this;
    }

    /// <summary>Adds the buffer <paramref name="key"/>, which a state has exactly when its blank form has it.</summary>
    public StateSchema<TState> Buffer(string key, Func<TState, Tensor?> get)
    {
        entries.Add(new(key, get, (s, _, d, name) =>
        {
            if (get(s) is { } target) ParamState.ReadInto(d, key, target, name);
        }));
        return this;
    }

    /// <summary>Adds the buffer <paramref name="key"/>, shaped like the parameter and present only with some options.</summary>
    public StateSchema<TState> OptionalBuffer(string key, Func<TState, Tensor?> get, Action<TState, Tensor?> set)
    {
        entries.Add(new(key, get, (s, p, d, name) => set(s, ParamState.ReadOptionalBuffer(d, key, p, name))));
        return this;
    }

    /// <summary>Adds the float32 scalar <paramref name="key"/>.</summary>
    public StateSchema<TState> Float(string key, Func<TState, float> get, Action<TState, float> set)
    {
        entries.Add(new(key, s => Tensor.Scalar(get(s)), (s, _, d, name) => set(s, (float)ParamState.ReadScalar(d, key, name))));
        return this;
    }

    /// <summary>
    /// Adds the entry <paramref name="key"/> with its own conversions: <paramref name="save"/> gives the saved value
    /// (null to leave it out) and <paramref name="load"/> reads it from the entries (absent ones included).
    /// </summary>
    public StateSchema<TState> Custom(string key, Func<TState, object?> save, Action<TState, IReadOnlyDictionary<string, object>, string> load)
    {
        entries.Add(new(key, save, (s, _, d, name) => load(s, d, name)));
        return this;
    }

    /// <summary>
    /// The entries added after this one are saved, and loaded, only while <paramref name="condition"/> holds for the
    /// state (on loading: as filled by the entries before).
    /// </summary>
    public StateSchema<TState> OnlyIf(Func<TState, bool> condition)
    {
        entries.Add(new(null, condition));
        return this;
    }

    /// <summary>The state-dict entries of <paramref name="state"/>: every entry in order, those without a value left out.</summary>
    public IEnumerable<KeyValuePair<string, object>> Save(TState state)
    {
        foreach (var e in entries)
        {
            if (e.Key is null)
            {
                if (!e.Condition!(state)) yield break;
            }
            else if (e.Save!(state) is { } value) yield return new(e.Key, value);
        }
    }

    /// <summary>
    /// The state of <paramref name="param"/> from its state-dict entries: a blank state filled entry by entry, each
    /// buffer a private copy. <paramref name="paramName"/> names the parameter in errors.
    /// </summary>
    public TState Load(Tensor param, IReadOnlyDictionary<string, object> stateEntries, string paramName)
    {
        var state = blank(param);
        foreach (var e in entries)
        {
            if (e.Key is null)
            {
                if (!e.Condition!(state)) break;
            }
            else e.Load!(state, param, stateEntries, paramName);
        }
        return state;
    }

    // An entry, or (Key null) the condition the entries after it depend on.
    private sealed record Entry(
        string? Key,
        Func<TState, object?>? Save,
        Action<TState, Tensor, IReadOnlyDictionary<string, object>, string>? Load,
        Func<TState, bool>? Condition = null)
    {
        public Entry(string? key, Func<TState, bool> condition) : this(key, null, null, condition) { }
    }
}
