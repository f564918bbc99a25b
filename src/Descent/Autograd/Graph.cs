using Descent.Tensors;

namespace Descent.Autograd;

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
        return t.gradFn ?? AccumulatorOf(t);
    }

    /// <summary>Which output of <see cref="EdgeOf"/>'s node the tensor is.</summary>
    public static int SlotOf(Tensor t) => t.gradFn is null ? 0 : t.outputNr;

    /// <summary>A leaf's accumulator, made once even when two threads ask at the same time.</summary>
    public static AccumulateGrad AccumulatorOf(Tensor leaf)
    {
        if (leaf.accumulator is { } a) return a;
        Interlocked.CompareExchange(ref leaf.accumulator, new AccumulateGrad(leaf), null);
        return leaf.accumulator;
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
        int[]? slots = null;
        for (int i = 0; i < next.Length; i++)
        {
            next[i] = EdgeOf(inputs[i]);
            types[i] = inputs[i].DType;
            if (next[i] is not null && SlotOf(inputs[i]) is var slot and not 0) (slots ??= new int[next.Length])[i] = slot;
        }
        node.Next = next;
        if (slots is not null) node.Extras().NextSlots = slots;
        node.InputTypes = types;
    }
}
