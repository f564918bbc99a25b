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
}
