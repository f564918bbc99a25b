using Descent.Text;

namespace Descent.Optim;

/// <summary>
/// An optimizer's state in PyTorch's <c>state_dict()</c> structure: <c>state</c> maps integer ids (parameters
/// numbered in order across groups) to name → value maps; <c>param_groups</c> hold each group's options and,
/// under <c>"params"</c>, its parameter ids.
/// </summary>
public sealed class OptimizerStateDict
{
    /// <summary>Per-parameter state by id.</summary>
    public SortedDictionary<int, Dictionary<string, object>> State { get; init; } = [];

    /// <summary>Each group's options (PyTorch names) plus <c>"params"</c>: an <c>int[]</c> of ids.</summary>
    public List<Dictionary<string, object?>> ParamGroups { get; init; } = [];

    /// <summary>The class name of the optimizer that made the dict (how its numbers print), or null.</summary>
    internal string? OptimizerName { get; init; }

    /// <summary>
    /// What <c>print(optimizer.state_dict())</c> shows: <c>{'state': {0: {...}}, 'param_groups': [{...}]}</c>, tensors
    /// as their reprs, options' numbers in the Python type of PyTorch's default.
    /// </summary>
    public override string ToString()
    {
        var groups = ParamGroups.Select(g => OptionPrinting.AsPython(OptimizerName, g)).ToList();
        var dict = new OrderedDictionary<string, object?> { ["state"] = State, ["param_groups"] = groups };
        return PyRepr.Repr(dict, OptionPrinting.Tensors);
    }
}
