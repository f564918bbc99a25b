using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// The step loop of the elementwise optimizers, written once: for each parameter of a group that has a gradient, in
/// order, it checks that the parameter is float32 or float64 (its update runs in its dtype), gets its state (made by
/// the rule on the first step), lets the rule advance the state and make the update, queues the update and bumps the
/// parameter's version; then it runs the queued
/// updates together (on several threads when large, see <see cref="StepPlan{TJob}"/>), also when a later parameter is
/// refused, so the ones before it are updated as they would be one by one. An optimizer keeps one loop, whose plan
/// reuses its arrays: a warm step allocates nothing.
/// </summary>
/// <typeparam name="TState">The optimizer's per-parameter state.</typeparam>
/// <typeparam name="TJob">The update of one parameter.</typeparam>
internal sealed class StepLoop<TState, TJob> where TState : ParamState where TJob : struct, IChunkJob
{
    private readonly StepPlan<TJob> plan = new();

    /// <summary>Steps <paramref name="group"/> of <paramref name="owner"/> with <paramref name="rule"/>.</summary>
    public void Run<TRule>(Optimizer owner, ParamGroup group, TRule rule) where TRule : struct, IStepRule<TState, TJob>
    {
        var ps = group.Params;
        try
        {
            for (int i = 0; i < ps.Count; i++)
            {
                var p = ps[i];
                if (p.Grad is not { } grad) continue;
                Check.Floating(p, grad, owner.GetType().Name);
                var s = owner.TryGetState(p, out var existing) ? (TState)existing : owner.AddState(p, rule.NewState(p));
                if (!rule.TryJob(p, grad, s, out var job)) continue;
                plan.Add(job, p.Numel);
                p.BumpVersion();
            }
        }
        finally
        {
            plan.Run();
        }
    }
}

/// <summary>
/// The step loop of the optimizers whose update is applied to each parameter at once on the calling thread (see
/// <see cref="IInlineStepRule{TState}"/>): the same order and checks as <see cref="StepLoop{TState, TJob}"/>.
/// </summary>
/// <typeparam name="TState">The optimizer's per-parameter state.</typeparam>
internal static class InlineStepLoop<TState> where TState : ParamState
{
    /// <summary>Steps <paramref name="group"/> of <paramref name="owner"/> with <paramref name="rule"/>.</summary>
    public static void Run<TRule>(Optimizer owner, ParamGroup group, TRule rule) where TRule : struct, IInlineStepRule<TState>
    {
        var ps = group.Params;
        for (int i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            if (p.Grad is not { } grad) continue;
            Check.Floating(p, grad, owner.GetType().Name);
            rule.Check(p, grad);
            var s = owner.TryGetState(p, out var existing) ? (TState)existing : owner.AddState(p, rule.NewState(p));
            rule.Apply(p, grad, s);
            p.BumpVersion();
        }
    }
}
