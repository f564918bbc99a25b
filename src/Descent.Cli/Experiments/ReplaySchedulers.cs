using Descent.Optim;
using Descent.Optim.Schedulers;

namespace Descent.Cli.Experiments;

/// <summary>A learning-rate scheduler as a replay drives it: stepped once after every optimizer step.</summary>
public interface IReplayScheduler
{
    /// <summary>Advances one step, like PyTorch's <c>scheduler.step()</c>; ReduceLROnPlateau gets the step's loss.</summary>
    void Step(double? loss);
}

/// <summary>
/// Creates replay schedulers by PyTorch class name through <see cref="LRSchedulerFactory"/>: every scheduler that
/// needs no user code (lambdas and scheduler-of-schedulers need a program, not a spec).
/// </summary>
public static class ReplaySchedulers
{
    /// <summary>The scheduler <paramref name="component"/> names, attached to <paramref name="optimizer"/>.</summary>
    public static IReplayScheduler Create(ReplayComponent component, Optimizer optimizer)
    {
        if (!LRSchedulerFactory.Names.Contains(component.Name))
            throw new NotSupportedException(
                $"scheduler {component.Name} is not supported by replay; supported: {string.Join(", ", LRSchedulerFactory.Names)}");
        return new Adapter(LRSchedulerFactory.Create(component.Name, optimizer, component.Options));
    }

    private sealed class Adapter(LRScheduler scheduler) : IReplayScheduler
    {
        public void Step(double? loss)
        {
            if (scheduler is ReduceLROnPlateau)
            {
                if (loss is null) throw new InvalidDataException("ReduceLROnPlateau needs a loss: use the 'rosenbrock' objective");
                scheduler.StepAfterOptimizer(loss.Value);
            }
            else scheduler.Step();
        }
    }
}
