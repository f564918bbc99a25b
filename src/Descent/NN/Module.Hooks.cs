using Descent.Autograd;
using Descent.Tensors;

namespace Descent.NN;

// Module hooks, as nn.Module's: forward pre-hooks and forward hooks around Forward, and full backward (pre-)hooks on
// the gradients of the module's input and output. They run when the module is called (Call, and a Sequential's
// children), not when Forward is called directly — as in PyTorch, where module(x) runs them and forward(x) does not.
public abstract partial class Module
{
    private ModuleHooks? hooks;

    /// <summary>Calls <see cref="Forward"/> with the module's hooks around it, like calling the module in Python.</summary>
    public Tensor Call(Tensor input) => hooks is null ? Forward(input) : hooks.Call(this, input);

    /// <summary>
    /// Registers a hook called before <see cref="Forward"/> with the module and its input, like
    /// <c>register_forward_pre_hook</c>; a tensor it returns replaces the input.
    /// </summary>
    /// <param name="hook">The hook: (module, input) → a new input, or null to keep it.</param>
    /// <param name="prepend">Run it before the hooks already registered instead of after them.</param>
    public RemovableHandle RegisterForwardPreHook(Func<Module, Tensor, Tensor?> hook, bool prepend = false) =>
        Hooks.Add(ref Hooks.ForwardPre, hook, prepend);

    /// <summary>
    /// Registers a hook called after <see cref="Forward"/> with the module, its input and its output, like
    /// <c>register_forward_hook</c>; a tensor it returns replaces the output.
    /// </summary>
    /// <param name="hook">The hook: (module, input, output) → a new output, or null to keep it.</param>
    /// <param name="prepend">Run it before the hooks already registered instead of after them.</param>
    public RemovableHandle RegisterForwardHook(Func<Module, Tensor, Tensor, Tensor?> hook, bool prepend = false) =>
        Hooks.Add(ref Hooks.Forward, hook, prepend);

    /// <summary>
    /// Registers a hook called when the gradients with respect to the module's input have been computed, like
    /// <c>register_full_backward_hook</c>: with the module, the gradients of its inputs (null where an input needs
    /// none) and those of its outputs; an array it returns (of the same length) replaces the input gradients.
    /// Where no input requires grad, it is called as soon as the output gradients are known, with null input
    /// gradients, and may return nothing else.
    /// </summary>
    /// <param name="hook">The hook: (module, gradInput, gradOutput) → new gradInput, or null to keep it.</param>
    /// <param name="prepend">Run it before the hooks already registered instead of after them.</param>
    public RemovableHandle RegisterFullBackwardHook(Func<Module, Tensor?[], Tensor?[], Tensor?[]?> hook, bool prepend = false) =>
        Hooks.Add(ref Hooks.Backward, hook, prepend);

    /// <summary>
    /// Registers a hook called when the gradients with respect to the module's output have been computed, before
    /// the module's own backward, like <c>register_full_backward_pre_hook</c>; an array it returns (of the same
    /// length) replaces those gradients.
    /// </summary>
    /// <param name="hook">The hook: (module, gradOutput) → new gradOutput, or null to keep it.</param>
    /// <param name="prepend">Run it before the hooks already registered instead of after them.</param>
    public RemovableHandle RegisterFullBackwardPreHook(Func<Module, Tensor?[], Tensor?[]?> hook, bool prepend = false) =>
        Hooks.Add(ref Hooks.BackwardPre, hook, prepend);

    /// <summary>Registers a forward pre-hook that only observes; see <see cref="RegisterForwardPreHook(Func{Module, Tensor, Tensor}, bool)"/>.</summary>
    public RemovableHandle RegisterForwardPreHook(Action<Module, Tensor> hook, bool prepend = false)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return RegisterForwardPreHook((m, x) => { hook(m, x); return null; }, prepend);
    }

    /// <summary>Registers a forward hook that only observes; see <see cref="RegisterForwardHook(Func{Module, Tensor, Tensor, Tensor}, bool)"/>.</summary>
    public RemovableHandle RegisterForwardHook(Action<Module, Tensor, Tensor> hook, bool prepend = false)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return RegisterForwardHook((m, x, y) => { hook(m, x, y); return null; }, prepend);
    }

    /// <summary>Registers a full backward hook that only observes; see <see cref="RegisterFullBackwardHook(Func{Module, Tensor[], Tensor[], Tensor[]}, bool)"/>.</summary>
    public RemovableHandle RegisterFullBackwardHook(Action<Module, Tensor?[], Tensor?[]> hook, bool prepend = false)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return RegisterFullBackwardHook((m, gi, go) => { hook(m, gi, go); return null; }, prepend);
    }

    /// <summary>Registers a full backward pre-hook that only observes; see <see cref="RegisterFullBackwardPreHook(Func{Module, Tensor[], Tensor[]}, bool)"/>.</summary>
    public RemovableHandle RegisterFullBackwardPreHook(Action<Module, Tensor?[]> hook, bool prepend = false)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return RegisterFullBackwardPreHook((m, go) => { hook(m, go); return null; }, prepend);
    }

    private ModuleHooks Hooks
    {
        get
        {
            if (hooks is null) Interlocked.CompareExchange(ref hooks, new ModuleHooks(), null);
            return hooks;
        }
    }

    /// <summary>A module's hook lists, each replaced whole on change so a call reads a consistent one without a lock.</summary>
    private sealed class ModuleHooks
    {
        private readonly Lock gate = new();
        public Hook<Func<Module, Tensor, Tensor?>>[] ForwardPre = [];
        public Hook<Func<Module, Tensor, Tensor, Tensor?>>[] Forward = [];
        public Hook<Func<Module, Tensor?[], Tensor?[], Tensor?[]?>>[] Backward = [];
        public Hook<Func<Module, Tensor?[], Tensor?[]?>>[] BackwardPre = [];

        public RemovableHandle Add<T>(ref Hook<T>[] list, T hook, bool prepend) where T : Delegate
        {
            ArgumentNullException.ThrowIfNull(hook);
            // An entry of its own, so that the same delegate registered twice is removed once per handle.
            var entry = new Hook<T>(hook);
            lock (gate) list = prepend ? [entry, .. list] : [.. list, entry];
            return new RemovableHandle(() =>
            {
                lock (gate)
                {
                    ForwardPre = Without(ForwardPre, entry);
                    Forward = Without(Forward, entry);
                    Backward = Without(Backward, entry);
                    BackwardPre = Without(BackwardPre, entry);
                }
            });
        }

        private static Hook<T>[] Without<T>(Hook<T>[] list, object entry) where T : Delegate =>
            Array.Exists(list, h => ReferenceEquals(h, entry)) ? Array.FindAll(list, h => !ReferenceEquals(h, entry)) : list;

        /// <summary>PyTorch's <c>_call_impl</c> for one input and one output.</summary>
        public Tensor Call(Module module, Tensor input)
        {
            foreach (var pre in ForwardPre)
                if (pre.Fn(module, input) is { } replaced) input = replaced;
            var backward = Backward;
            var backwardPre = BackwardPre;
            BackwardHookCall? bw = backward.Length > 0 || backwardPre.Length > 0 ? new(module, backward, backwardPre) : null;
            if (bw is not null) input = bw.SetupInput(input);
            var output = module.Forward(input);
            foreach (var hook in Forward)
                if (hook.Fn(module, input, output) is { } replaced) output = replaced;
            return bw is null ? output : bw.SetupOutput(output);
        }
    }

    /// <summary>One registration of a hook.</summary>
    private sealed record Hook<T>(T Fn) where T : Delegate;
}
