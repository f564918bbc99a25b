using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// <c>torch.autograd.backward</c> and <c>torch.autograd.grad</c>: PyTorch's argument checks, in its order and
/// with its messages (<c>_make_grads</c>, then the engine's), before one pass of the <see cref="Engine"/>.
/// </summary>
internal static class GradCalls
{
    private const string CreateGraphWarning =
        "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient which can cause a memory leak. " +
        "We recommend using autograd.grad when creating the graph to avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters to None after use to break the cycle and avoid the leak.";

    /// <summary><c>tensor.backward(gradient, retain_graph, create_graph)</c> without inputs: one root, nothing to allocate.</summary>
    public static void Backward(Tensor root, Tensor? gradient, bool? retainGraph, bool createGraph)
    {
        if (gradient is not null && !ShapeHelper.SameShape(gradient.shape, root.shape))
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[0] has a shape of torch.Size({ShapeHelper.Format(gradient.shape)}) and output[0] has a shape of torch.Size({ShapeHelper.Format(root.shape)}).");
        if (!root.RequiresGrad) throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");
        if (gradient is null)
        {
            if (root.Numel != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            gradient = Tensor.OnesLike(root);
        }
        else if (gradient.DType != root.DType) gradient = gradient.To(root.DType);
        if (createGraph) Warnings.Warn(CreateGraphWarning);
        Engine.Run(new ReadOnlySpan<Tensor>(ref root), new ReadOnlySpan<Tensor>(ref gradient), retainGraph ?? createGraph, createGraph, null, null);
    }

    /// <summary>Accumulates the gradients of <paramref name="tensors"/> into the leaves' (or the given inputs') .grad.</summary>
    public static void Backward(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor?>? gradTensors, bool? retainGraph, bool createGraph, IReadOnlyList<Tensor>? inputs)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (inputs is not null && inputs.Count == 0) throw new InvalidOperationException("'inputs' argument to backward() cannot be empty.");
        var (roots, grads) = MakeGrads(tensors, gradTensors);
        Tensor[]? targets = null;
        if (inputs is not null)
        {
            targets = [.. inputs];
            // As the engine's run_backward: a non-leaf input keeps its gradient in .grad, like retain_grad().
            foreach (var x in targets)
            {
                x.RetainGrad();
                if (!x.RequiresGrad) throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
            }
        }
        if (createGraph) Warnings.Warn(CreateGraphWarning);
        Engine.Run(roots, grads, retainGraph ?? createGraph, createGraph, targets, null);
    }

    /// <summary>The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, accumulated nowhere.</summary>
    public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? gradOutputs,
        bool? retainGraph, bool createGraph, bool? allowUnused, bool materializeGrads)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (materializeGrads && allowUnused == false)
            throw new ArgumentException(
                "Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False.");
        bool unusedOk = allowUnused ?? materializeGrads;
        var (roots, grads) = MakeGrads(outputs, gradOutputs);
        var xs = inputs.ToArray();
        foreach (var x in xs)
            if (!x.RequiresGrad) throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
        var result = new Tensor?[xs.Length];
        Engine.Run(roots, grads, retainGraph ?? createGraph, createGraph, xs, result);
        for (int k = 0; k < result.Length; k++)
        {
            if (result[k] is not null) continue;
            if (!unusedOk)
                throw new InvalidOperationException(
                    "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
            if (materializeGrads) result[k] = Tensor.ZerosLike(xs[k]);
        }
        return result;
    }

    /// <summary>
    /// PyTorch's <c>_make_grads</c> and the engine's checks of the roots: a missing seed of a scalar output is one,
    /// of another a mistake; outputs that need no gradient and have none are left out.
    /// </summary>
    private static (Tensor[] Roots, Tensor[] Grads) MakeGrads(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor?>? grads)
    {
        int n = grads is null ? outputs.Count : Math.Min(outputs.Count, grads.Count);
        var seeds = new Tensor?[n];
        for (int i = 0; i < n; i++)
        {
            var o = outputs[i];
            var g = grads?[i];
            if (g is not null)
            {
                if (!ShapeHelper.SameShape(g.shape, o.shape))
                    throw new ArgumentException(
                        $"Mismatch in shape: grad_output[{i}] has a shape of torch.Size({ShapeHelper.Format(g.shape)}) and output[{i}] has a shape of torch.Size({ShapeHelper.Format(o.shape)}).");
                seeds[i] = g;
            }
            else if (o.RequiresGrad)
            {
                if (o.Numel != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
                seeds[i] = Tensor.OnesLike(o);
            }
        }
        if (grads is not null && grads.Count != outputs.Count)
            throw new ArgumentException($"got {outputs.Count} tensors and {n} gradients");
        var roots = new List<Tensor>(n);
        var seeded = new List<Tensor>(n);
        for (int i = 0; i < n; i++)
        {
            if (!outputs[i].RequiresGrad)
                throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            roots.Add(outputs[i]);
            // The root's dtype, as the engine's validate_outputs converts it.
            seeded.Add(seeds[i]!.DType == outputs[i].DType ? seeds[i]! : seeds[i]!.To(outputs[i].DType));
        }
        return ([.. roots], [.. seeded]);
    }
}
