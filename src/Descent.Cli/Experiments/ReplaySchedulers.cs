using Descent.Optim;

namespace Descent.Cli.Experiments;

/// <summary>A learning-rate scheduler as a replay drives it: stepped once after every optimizer step.</summary>
public interface IReplayScheduler
{
    /// <summary>Advances one step, like PyTorch's <c>scheduler.step()</c>.</summary>
    void Step();
}

/// <summary>
/// Creates replay schedulers by PyTorch class name. Schedulers are not implemented yet, so every name is refused
/// with a one-line error; when they land, each name maps here to a factory over the optimizer and the options.
/// </summary>
public static class ReplaySchedulers
{
    private static readonly Dictionary<string, Func<Optimizer, IReadOnlyDictionary<string, object?>, IReplayScheduler>> Factories =
        new(StringComparer.Ordinal);

    /// <summary>The scheduler <paramref name="component"/> names, attached to <paramref name="optimizer"/>.</summary>
    public static IReplayScheduler Create(ReplayComponent component, Optimizer optimizer) =>
        Factories.TryGetValue(component.Name, out var f)
            ? f(optimizer, component.Options)
            : throw new NotSupportedException($"scheduler {component.Name} is not supported yet");
}
