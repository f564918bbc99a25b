using System.Globalization;
using Descent.Tensors;
using Descent.Text;

namespace Descent.Optim;

/// <summary>
/// A group of parameters and the options that apply to them, like one dict of PyTorch's
/// <c>optimizer.param_groups</c>. Options are keyed by PyTorch's names (<c>"lr"</c>, <c>"betas"</c>,
/// <c>"weight_decay"</c>, …) so state dicts and schedulers see exactly what PyTorch's do; the common ones
/// have typed properties. Options not set when the group is given to an optimizer are filled from its defaults.
/// </summary>
public sealed class ParamGroup
{
    private readonly OrderedDictionary<string, object?> options = [];

    /// <summary>A group of <paramref name="parameters"/>, in order.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters)
    {
        Optimizer.RejectUnordered(parameters);
        Params = [.. parameters];
    }

    /// <summary>The parameters, in order.</summary>
    public List<Tensor> Params { get; }

    /// <summary>An option by PyTorch name, like <c>group["momentum"]</c>; reading an absent one throws.</summary>
    public object? this[string name]
    {
        get => options.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"'{name}'");
        set => options[name] = value;
    }

    /// <summary>Whether the option is present.</summary>
    public bool Has(string name) => options.ContainsKey(name);

    /// <summary>Removes an option; false if it was absent.</summary>
    public bool Remove(string name) => options.Remove(name);

    /// <summary>The options in insertion order (PyTorch's order: the group's own keys, then the defaults').</summary>
    public IEnumerable<KeyValuePair<string, object?>> Options => options;

    /// <summary>The learning rate; schedulers change it between steps.</summary>
    public double Lr
    {
        get => GetDouble("lr");
        set => options["lr"] = value;
    }

    /// <summary>The learning rate a scheduler started from (PyTorch's <c>initial_lr</c>), when one was attached.</summary>
    public double? InitialLr
    {
        get => options.TryGetValue("initial_lr", out var v) && v is not null ? ToDouble(v, "initial_lr") : null;
        set
        {
            if (value is null) options.Remove("initial_lr");
            else options["initial_lr"] = value.Value;
        }
    }

    /// <summary>A numeric option as a double.</summary>
    public double GetDouble(string name) => ToDouble(this[name], name);

    /// <summary>A boolean option.</summary>
    public bool GetBool(string name) => this[name] switch
    {
        bool b => b,
        null => false,
        var v => throw new InvalidCastException($"option '{name}' is {v}, not a bool"),
    };

    /// <summary>An integer option.</summary>
    public int GetInt(string name) => (int)GetDouble(name);

    /// <summary>A pair option such as <c>betas</c> or <c>etas</c>.</summary>
    public (double, double) GetPair(string name) => this[name] switch
    {
        ValueTuple<double, double> t => t,
        double[] { Length: 2 } a => (a[0], a[1]),
        IReadOnlyList<object> { Count: 2 } l => (ToDouble(l[0], name), ToDouble(l[1], name)),
        var v => throw new InvalidCastException($"option '{name}' is {v}, not a pair of numbers"),
    };

    /// <summary>The class name of the optimizer the group was added to (how its numbers print), or null.</summary>
    internal string? OptimizerName { get; set; }

    /// <summary>
    /// What <c>print(optimizer.param_groups[0])</c> shows: the group as a Python dict, <c>params</c> first (the
    /// parameters' tensor reprs), then the options in order, numbers in the Python type of PyTorch's default.
    /// Descent's parameters are tensors, so they print as a group of plain tensors does, without
    /// <c>Parameter containing:</c>.
    /// </summary>
    public override string ToString() =>
        PyRepr.Repr(OptionPrinting.AsPython(OptimizerName, options.Prepend(new("params", Params))), OptionPrinting.Tensors);

    /// <summary>A string option (null when absent or None).</summary>
    public string? GetString(string name) => options.TryGetValue(name, out var v) ? v as string : null;

    internal static double ToDouble(object? v, string name) => v switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        bool b => b ? 1 : 0,
        Tensor t when t.Numel == 1 => t.Item(),
        _ => throw new InvalidCastException($"option '{name}' is {Convert.ToString(v, CultureInfo.InvariantCulture) ?? "None"}, not a number"),
    };
}
