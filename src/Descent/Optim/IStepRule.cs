using Descent.Optim.Kernels;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// What an elementwise optimizer says about one group's step, for <see cref="StepLoop{TState, TJob}"/>: a struct
/// built from the group's hyperparameters (read once per step, in the order PyTorch reads them) that makes a
/// parameter's state and this step's update of it. It may keep values computed once per step count in its fields.
/// </summary>
/// <typeparam name="TState">The optimizer's per-parameter state.</typeparam>
/// <typeparam name="TJob">The update of one parameter, runnable in chunks.</typeparam>
internal interface IStepRule<TState, TJob> where TState : ParamState where TJob : struct, IChunkJob
{
    /// <summary>The state of a parameter stepped for the first time.</summary>
    TState NewState(Tensor param);

    /// <summary>
    /// Advances <paramref name="state"/> for this step (its step count, lazily made buffers) and returns the update
    /// of <paramref name="param"/> as <paramref name="job"/>; false when this step leaves the parameter as it is.
    /// </summary>
    bool TryJob(Tensor param, Tensor grad, TState state, out TJob job);
}

/// <summary>
/// As <see cref="IStepRule{TState, TJob}"/> for an optimizer whose update is not elementwise (a matrix function, a
/// reduction over the whole tensor): <see cref="InlineStepLoop{TState}"/> applies it to each parameter at once.
/// </summary>
/// <typeparam name="TState">The optimizer's per-parameter state.</typeparam>
internal interface IInlineStepRule<TState> where TState : ParamState
{
    /// <summary>Refuses a parameter before its state is made (so a refused first step leaves no state behind).</summary>
    void Check(Tensor param, Tensor grad);

    /// <summary>The state of a parameter stepped for the first time.</summary>
    TState NewState(Tensor param);

    /// <summary>Updates <paramref name="param"/> and <paramref name="state"/> for this step.</summary>
    void Apply(Tensor param, Tensor grad, TState state);
}
