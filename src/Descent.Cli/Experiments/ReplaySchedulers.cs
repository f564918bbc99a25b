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
/// Creates replay schedulers by PyTorch class name through <see cref="OptimizerRegistry"/>: every scheduler that
/// needs no user code (lambdas and scheduler-of-schedulers need a program, not a spec).
/// </summary>
public static class ReplaySchedulers
{
    /// <summary>
    /// The scheduler <paramref name="component"/> names, attached to <paramref name="optimizer"/>, for a replay of
    /// <paramref name="steps"/> steps (when known). Arguments that make PyTorch divide by zero are refused here, naming
    /// the argument, where PyTorch raises ZeroDivisionError later: at the first step (StepLR's step_size, CosineAnnealingLR's
    /// T_max), when it is created (CyclicLR's step sizes, an empty first OneCycleLR phase) or at step total_steps (an
    /// empty last OneCycleLR phase, refused only when the replay gets that far).
    /// </summary>
    public static IReplayScheduler Create(ReplayComponent component, Optimizer optimizer, int? steps = null)
    {
        if (!OptimizerRegistry.SchedulerNames.Contains(component.Name))
            throw new NotSupportedException(
                $"scheduler {component.Name} is not supported by replay; supported: {string.Join(", ", OptimizerRegistry.SchedulerNames)}");
        CheckDivisors(component, steps);
        return new Adapter(OptimizerRegistry.CreateScheduler(component.Name, optimizer, component.Options));
    }

    private static void CheckDivisors(ReplayComponent c, int? steps)
    {
        var o = c.Options;
        // Only numbers are checked here; anything else is the factory's to report.
        double? Num(string key, double? fallback = null) =>
            !o.TryGetValue(key, out var v) ? fallback : v is double d ? d : v is null ? fallback : null;
        ArgumentException Zero(string what, string when) =>
            new($"{c.Name}: {what} must not be 0: PyTorch divides by it and raises ZeroDivisionError {when}");
        switch (c.Name)
        {
            case "StepLR" when Num("step_size") == 0:
                throw Zero("step_size", "at the first step");
            case "CosineAnnealingLR" when Num("T_max") == 0:
                throw Zero("T_max", "at the first step");
            case "CyclicLR":
                double? up = Num("step_size_up", CyclicLR.DefaultStepSizeUp), down = Num("step_size_down", up);
                if (up == 0) throw Zero("step_size_up", "when the scheduler is created");
                if (up + down == 0) throw Zero("step_size_up + step_size_down", "when the scheduler is created");
                break;
            case "OneCycleLR":
                double? total = Num("total_steps") ?? Num("epochs") * Num("steps_per_epoch");
                double pct = Num("pct_start", OneCycleLR.DefaultPctStart) ?? double.NaN;
                if (total is not double t || t < 1 || !(pct >= 0 && pct <= 1)) break;
                // PyTorch's phase ends, in its arithmetic: pct·T − 1, (2·pct·T − 2 with three_phase), T − 1.
                double firstEnd = pct * t - 1;
                if (firstEnd == 0)
                    throw new ArgumentException(
                        "OneCycleLR: pct_start * total_steps must not be 1: the first phase would be empty, and PyTorch divides by its length (ZeroDivisionError when the scheduler is created)");
                bool three = o.TryGetValue("three_phase", out var tp) && tp is true;
                double lastStart = three ? 2 * pct * t - 2 : firstEnd;
                if (lastStart == t - 1 && steps >= t)
                    throw new ArgumentException(
                        $"OneCycleLR: pct_start {pct.ToString(System.Globalization.CultureInfo.InvariantCulture)} leaves the last phase empty, and PyTorch divides by its length (ZeroDivisionError at step {t}, within this replay's {steps} steps)");
                break;
        }
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
