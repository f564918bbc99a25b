namespace Descent.Optim.Schedulers;

/// <summary>The checks ChainedScheduler and SequentialLR make on the schedulers they are given, with PyTorch's messages.</summary>
internal static class CompositeCheck
{
    public static LRScheduler[] Schedulers(string owner, IReadOnlyList<LRScheduler> schedulers, Optimizer optimizer, string emptyMessage)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        if (schedulers.Count < 1) throw new ArgumentException(emptyMessage);
        for (int i = 0; i < schedulers.Count; i++)
        {
            var s = schedulers[i] ?? throw new ArgumentException($"{owner} at index {i} should have `optimizer` as its attribute.");
            if (s is ReduceLROnPlateau)
                throw new ArgumentException(
                    $"{owner} does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, " +
                    $"but got one at index {i} in the given schedulers sequence.");
            if (!ReferenceEquals(optimizer, s.Optimizer))
                throw new ArgumentException(
                    $"{owner} expects all schedulers to belong to the same optimizer, but got scheduler {s.GetType().Name} at index {i} " +
                    $"has {s.Optimizer}, which is different from {optimizer.GetType().Name}.");
        }
        return [.. schedulers];
    }

    public static object?[] SaveChildren(IEnumerable<LRScheduler> children) =>
        children.Select(s => (object?)s.StateDict()).ToArray();

    public static void LoadChildren(IReadOnlyList<LRScheduler> children, object? saved)
    {
        var list = StateValue.List(saved, "_schedulers");
        for (int i = 0; i < list.Count && i < children.Count; i++)
            children[i].LoadStateDict(StateValue.Dict(list[i], "_schedulers"));
    }
}
