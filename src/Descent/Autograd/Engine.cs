using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// Runs backward passes: an iterative topological walk (no recursion, so deep graphs cannot overflow the
/// stack) that hands each node the sum of its output's gradients once every consumer has contributed.
/// </summary>
internal static class Engine
{
    private static int passCounter;

    // The walk's two stacks, kept per thread between passes: a small network's backward pass is microseconds, and
    // allocating them was a visible part of it. Taken out while in use, so a nested pass gets its own.
    [ThreadStatic] private static Stack<Node>? spareStack, spareReady;

    /// <summary>Backpropagates from <paramref name="root"/>; see <see cref="Tensor.Backward"/>.</summary>
    public static void Backward(Tensor root, Tensor? gradient, bool retainGraph)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");
        if (gradient is null)
        {
            if (root.Numel != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            gradient = Tensor.OnesLike(root);
        }
        else if (!ShapeHelper.SameShape(gradient.shape, root.shape))
        {
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[0] has a shape of torch.Size({ShapeHelper.Format(gradient.shape)}) and output[0] has a shape of torch.Size({ShapeHelper.Format(root.shape)}).");
        }

        if (gradient.DType != root.DType) gradient = gradient.To(root.DType);
        var start = Graph.EdgeOf(root)!;
        using var _ = GradMode.Set(false);
        int mark = Interlocked.Increment(ref passCounter);

        var stack = spareStack ?? new Stack<Node>();
        var ready = spareReady ?? new Stack<Node>();
        spareStack = spareReady = null;
        try
        {
            Walk(start, gradient, retainGraph, mark, stack, ready);
        }
        finally
        {
            stack.Clear();
            ready.Clear();
            spareStack = stack;
            spareReady = ready;
        }
    }

    private static void Walk(Node start, Tensor gradient, bool retainGraph, int mark, Stack<Node> stack, Stack<Node> ready)
    {
        // Pass 1: count, for every reachable node, how many edges point at it.
        start.VisitMark = mark;
        start.Dependencies = 0;
        stack.Push(start);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var next in node.Next)
            {
                if (next is null) continue;
                if (next.VisitMark != mark)
                {
                    next.VisitMark = mark;
                    next.Dependencies = 0;
                    next.PendingGrad = null;
                    stack.Push(next);
                }
                next.Dependencies++;
            }
        }

        // Pass 2: run nodes whose consumers have all delivered their gradient.
        start.PendingGrad = gradient;
        ready.Push(start);
        while (ready.Count > 0)
        {
            var node = ready.Pop();
            var grad = node.PendingGrad;
            node.PendingGrad = null;
            // A node all of whose consumers sent no gradient still runs, empty-handed, so that the
            // dependency counts below it reach zero.
            Tensor?[] inputGrads = [];
            if (grad is not null)
            {
                if (node.RetainedOutput is { } kept) Retain(kept, grad);
                inputGrads = node.Apply(grad);
            }
            for (int i = 0; i < node.Next.Length; i++)
            {
                var next = node.Next[i];
                if (next is null) continue;
                var g = i < inputGrads.Length ? inputGrads[i] : null;
                // As PyTorch's validate_outputs: a gradient takes its input's dtype (a float32 leaf that met
                // a float64 tensor still gets a float32 gradient).
                if (g is not null && i < node.InputTypes.Length && g.DType != node.InputTypes[i]) g = g.To(node.InputTypes[i]);
                if (g is not null)
                    next.PendingGrad = next.PendingGrad is null ? g : next.PendingGrad.Add(g);
                if (--next.Dependencies == 0) ready.Push(next);
            }
            if (!retainGraph && node is not AccumulateGrad) node.Release();
        }
    }

    private static void Retain(Tensor t, Tensor grad)
    {
        if (t.Grad is null) t.Grad = grad.Detach().Clone();
        else t.Grad = t.Grad.Add(grad);
    }
}

/// <summary>Helpers ops use to record themselves in the graph.</summary>
internal static class Graph
{
    /// <summary>Whether an op on these inputs must record a node.</summary>
    public static bool Needs(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    public static bool Needs(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>The node an input's gradient flows to, or null when it needs none.</summary>
    public static Node? EdgeOf(Tensor t)
    {
        if (!t.RequiresGrad) return null;
        return t.gradFn ?? (t.accumulator ??= new AccumulateGrad(t));
    }

    /// <summary>Makes <paramref name="node"/> the creator of <paramref name="result"/>.</summary>
    public static Tensor Attach(Tensor result, Node node, Tensor input)
    {
        Connect(node, [input]);
        result.gradFn = node;
        return result;
    }

    public static Tensor Attach(Tensor result, Node node, Tensor a, Tensor b)
    {
        Connect(node, [a, b]);
        result.gradFn = node;
        return result;
    }

    public static Tensor Attach(Tensor result, Node node, Tensor a, Tensor b, Tensor c)
    {
        Connect(node, [a, b, c]);
        result.gradFn = node;
        return result;
    }

    public static Tensor Attach(Tensor result, Node node, IReadOnlyList<Tensor> inputs)
    {
        Connect(node, inputs);
        result.gradFn = node;
        return result;
    }

    /// <summary>Points <paramref name="node"/>'s edges at its inputs and records their dtypes.</summary>
    public static void Connect(Node node, IReadOnlyList<Tensor> inputs)
    {
        var next = new Node?[inputs.Count];
        var types = new DType[inputs.Count];
        for (int i = 0; i < next.Length; i++)
        {
            next[i] = EdgeOf(inputs[i]);
            types[i] = inputs[i].DType;
        }
        node.Next = next;
        node.InputTypes = types;
    }
}
