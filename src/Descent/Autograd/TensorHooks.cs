using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// Hooks on a tensor's gradient (<see cref="Tensor.RegisterHook(Func{Tensor, Tensor})"/>) and on a leaf's
/// accumulation (<see cref="Tensor.RegisterPostAccumulateGradHook"/>), kept on the node the gradient reaches:
/// a non-leaf's grad_fn, a leaf's <see cref="AccumulateGrad"/>. The arrays are replaced whole under a lock, so a
/// pass reads them without one.
/// </summary>
internal static class TensorHooks
{
    private static readonly Lock Gate = new();

    public static RemovableHandle Register(Tensor t, Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!t.RequiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        var hooks = Graph.EdgeOf(t)!.Extras();
        var entry = new TensorHook(Graph.SlotOf(t), hook);
        lock (Gate) hooks.Pre = [.. hooks.Pre ?? [], entry];
        return new RemovableHandle(() =>
        {
            lock (Gate) hooks.Pre = Without(hooks.Pre, entry);
        });
    }

    public static RemovableHandle RegisterPostAccumulate(Tensor t, Action<Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!t.RequiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        if (t.gradFn is not null) throw new InvalidOperationException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        var node = Graph.AccumulatorOf(t);
        // A wrapper of its own, so that registering one delegate twice gives two removable entries.
        Action<Tensor> entry = p => hook(p);
        lock (Gate) node.PostHooks = [.. node.PostHooks ?? [], entry];
        return new RemovableHandle(() =>
        {
            lock (Gate) node.PostHooks = Without(node.PostHooks, entry);
        });
    }

    private static T[]? Without<T>(T[]? hooks, T entry) where T : class
    {
        if (hooks is null) return null;
        var rest = Array.FindAll(hooks, h => !ReferenceEquals(h, entry));
        return rest.Length == 0 ? null : rest;
    }

    /// <summary>
    /// The gradient of output <paramref name="slot"/> of a node through its hooks, in registration
    /// order (a hook returning a tensor replaces the gradient), then into a retained .grad, last as in PyTorch.
    /// </summary>
    public static Tensor Run(NodeExtras hooks, int slot, Tensor g)
    {
        if (hooks.Pre is { } pre)
        {
            foreach (var h in pre)
            {
                if (h.Slot != slot || h.Hook(g) is not { } r) continue;
                Check(h.Hook, g, r);
                g = r;
            }
        }
        if (hooks.Retained[slot] is { } kept) Retain(kept, g);
        return g;
    }

    // PyTorch's check_single_result; a hook is named as Python names it (a lambda is "<lambda>").
    private static void Check(Delegate hook, Tensor original, Tensor result)
    {
        var name = hook.Method.Name.Contains('<', StringComparison.Ordinal) ? "<lambda>" : hook.Method.Name;
        if (result.DType != original.DType)
            throw new InvalidOperationException(
                $"hook '{name}' has changed the type of value (was {original.DType.LegacyTypeName()} got {result.DType.LegacyTypeName()})");
        if (!ShapeHelper.SameShape(result.shape, original.shape))
            throw new InvalidOperationException($"hook '{name}' has changed the size of value");
    }

    /// <summary>retain_grad's hook: the first gradient is cloned, later ones added (recorded under create_graph).</summary>
    private static void Retain(Tensor t, Tensor grad)
    {
        lock (Gate) t.Grad = t.Grad is null ? grad.Clone() : t.Grad.Add(grad);
    }
}
