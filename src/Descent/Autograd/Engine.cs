using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// Runs backward passes: an iterative topological walk (no recursion, so deep graphs cannot overflow the
/// stack) that hands each node the sum of its output's gradients once every consumer has contributed.
/// </summary>
/// <remarks>
/// A pass keeps its bookkeeping in the nodes it claims (<see cref="FieldStates"/>); when another pass holds one of
/// them — a second thread walking the same retained graph, or a pass started from a hook — it starts over with the
/// bookkeeping in a dictionary of its own (<see cref="MapStates"/>), so concurrent passes never share state.
/// </remarks>
internal static partial class Engine
{
    private static int passCounter;

    /// <summary>Passes that met a node another pass held and kept their bookkeeping apart (for tests).</summary>
    internal static long SeparatePasses;

    // The walk's stacks and lists, kept per thread between passes: a small network's backward pass is
    // microseconds, and allocating them was a visible part of it. Taken out while in use, so a nested pass
    // gets its own.
    [ThreadStatic] private static Workspace? spare;

    private sealed class Workspace
    {
        public readonly Stack<Node> Stack = new(), Ready = new();
        public readonly List<Node> Visited = [], Order = [];
        public readonly Dictionary<Node, NodeState> Map = new(ReferenceEqualityComparer.Instance);

        // The pending gradients of the nodes with several outputs (custom functions), per output.
        public readonly Dictionary<Node, Tensor?[]> Slots = new(ReferenceEqualityComparer.Instance);

        public void Clear()
        {
            Stack.Clear();
            Ready.Clear();
            Visited.Clear();
            Order.Clear();
            Map.Clear();
            Slots.Clear();
        }
    }

    /// <summary>
    /// One backward pass from <paramref name="roots"/>, seeded with <paramref name="grads"/> (checked by the
    /// caller: each root requires grad, each seed has its root's shape and dtype). Without
    /// <paramref name="inputs"/> every leaf reached accumulates its gradient; with them and without
    /// <paramref name="captures"/> only those inputs do (<c>backward(inputs=...)</c>); with
    /// <paramref name="captures"/> nothing accumulates and <c>captures[k]</c> receives the gradient of
    /// <c>inputs[k]</c> (<c>autograd.grad</c>). In the last two cases only the nodes on a path to an input run.
    /// </summary>
    public static void Run(ReadOnlySpan<Tensor> roots, ReadOnlySpan<Tensor> grads, bool retainGraph, bool createGraph, Tensor[]? inputs, Tensor?[]? captures)
    {
        // The backward formulas record their own graph exactly when create_graph asks for it.
        using var mode = GradMode.Set(createGraph);
        var ws = spare ?? new Workspace();
        spare = null;
        try
        {
            bool done;
            if (inputs is null && roots.Length == 1)
            {
                done = PlainWalk(Graph.EdgeOf(roots[0])!, Graph.SlotOf(roots[0]), grads[0], retainGraph, createGraph, ws);
            }
            else
            {
                var fields = new FieldStates(NextPass(), ws.Visited);
                try
                {
                    done = Walk(ref fields, ws, roots, grads, retainGraph, createGraph, inputs, captures);
                }
                finally
                {
                    fields.ReleaseAll();
                }
            }
            if (!done)
            {
                Interlocked.Increment(ref SeparatePasses);
                ws.Clear();
                var map = new MapStates(ws.Map);
                Walk(ref map, ws, roots, grads, retainGraph, createGraph, inputs, captures);
            }
        }
        finally
        {
            ws.Clear();
            spare = ws;
        }
    }

    private static int NextPass()
    {
        int pass;
        do pass = Interlocked.Increment(ref passCounter); while (pass == 0);
        return pass;
    }

    /// <summary>The pass; false when it met a node another pass holds before it changed anything.</summary>
    private static bool Walk<S>(ref S st, Workspace ws, ReadOnlySpan<Tensor> roots, ReadOnlySpan<Tensor> grads, bool retainGraph, bool recorded, Tensor[]? inputs, Tensor?[]? captures)
        where S : struct, IPassStates
    {
        bool prune = inputs is not null;

        // Discover every node reachable from the roots and count, for each, the edges that point at it.
        var stack = ws.Stack;
        foreach (var r in roots)
        {
            var node = Graph.EdgeOf(r)!;
            var v = st.Visit(node);
            if (v == Visit.Conflict) return false;
            if (v == Visit.New)
            {
                st.Of(node).Needed = !prune;
                stack.Push(node);
            }
        }
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var next in node.Next)
            {
                if (next is null) continue;
                var v = st.Visit(next);
                if (v == Visit.Conflict) return false;
                ref var s = ref st.Of(next);
                if (v == Visit.New)
                {
                    s.Needed = !prune;
                    stack.Push(next);
                }
                s.Dependencies++;
            }
        }
        if (prune) Prune(ref st, ws, roots, inputs!, captures is not null);

        // Seed the roots (a tensor given twice gets the sum of its seeds), then run every node whose
        // consumers have all delivered their gradient.
        var ready = ws.Ready;
        for (int i = 0; i < roots.Length; i++)
        {
            var node = Graph.EdgeOf(roots[i])!;
            ref var s = ref st.Of(node);
            if (s.Active) AddPending(ref s, node, Graph.SlotOf(roots[i]), grads[i], ws);
        }
        foreach (var r in roots)
        {
            var node = Graph.EdgeOf(r)!;
            ref var s = ref st.Of(node);
            if (!s.Active || s.Dependencies != 0 || s.Queued) continue;
            s.Queued = true;
            ready.Push(node);
        }
        while (ready.Count > 0)
        {
            var node = ready.Pop();
            ref var s = ref st.Of(node);
            var inputGrads = Evaluate(node, ref s, recorded, inputs, captures, ws);
            if (!s.Needed) continue;
            var nexts = node.Next;
            for (int i = 0; i < nexts.Length; i++)
            {
                var next = nexts[i];
                if (next is null) continue;
                ref var ns = ref st.Of(next);
                if (!ns.Active) continue;
                var g = i < inputGrads.Length ? inputGrads[i] : null;
                if (g is not null)
                {
                    // As PyTorch's validate_outputs: a gradient takes its input's dtype (a float32 leaf that met
                    // a float64 tensor still gets a float32 gradient).
                    if (i < node.InputTypes.Length && g.DType != node.InputTypes[i]) g = g.To(node.InputTypes[i]);
                    AddPending(ref ns, next, node.NextSlots is { } slots ? slots[i] : 0, g, ws);
                }
                if (--ns.Dependencies == 0) ready.Push(next);
            }
            if (!retainGraph && node is not AccumulateGrad) node.Release();
        }
        return true;
    }

    /// <summary>
    /// Runs one node: its output gradients through the tensor hooks and retain_grad, into the captures, then its
    /// backward if it is needed. Returns its inputs' gradients (empty when it got no gradient at all: it still
    /// counts as delivered, so the nodes below it can run).
    /// </summary>
    private static Tensor?[] Evaluate(Node node, ref NodeState s, bool recorded, Tensor[]? inputs, Tensor?[]? captures, Workspace ws)
    {
        if (node.OutputCount == 1)
        {
            var g = s.Pending;
            s.Pending = null;
            if (g is not null && node.Extra is { Hooked: true } hooks) g = TensorHooks.Run(hooks, 0, g);
            if (s.Captured) Capture(node, 0, g, inputs!, captures!);
            return g is not null && s.Needed ? (recorded ? node.ApplyRecorded(g) : node.Apply(g)) : [];
        }
        if (!ws.Slots.Remove(node, out var gs)) gs = new Tensor?[node.OutputCount];
        bool any = false;
        for (int k = 0; k < gs.Length; k++)
        {
            if (gs[k] is { } gk && node.Extra is { Hooked: true } hooks) gs[k] = TensorHooks.Run(hooks, k, gk);
            if (s.Captured) Capture(node, k, gs[k], inputs!, captures!);
            any |= gs[k] is not null;
        }
        return any && s.Needed ? node.ApplyAll(gs) : [];
    }

    private static void AddPending(ref NodeState s, Node node, int slot, Tensor g, Workspace ws)
    {
        if (node.OutputCount == 1)
        {
            s.Pending = s.Pending is null ? g : s.Pending.Add(g);
            return;
        }
        if (!ws.Slots.TryGetValue(node, out var slots)) ws.Slots[node] = slots = new Tensor?[node.OutputCount];
        slots[slot] = slots[slot] is { } p ? p.Add(g) : g;
    }

    private static void Capture(Node node, int slot, Tensor? g, Tensor[] inputs, Tensor?[] captures)
    {
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            if (Graph.EdgeOf(x) != node || Graph.SlotOf(x) != slot) continue;
            captures[k] = g is null || ShapeHelper.SameShape(g.shape, x.shape) ? g : g.SumToShape(x.shape);
        }
    }

    /// <summary>
    /// Limits the pass to what reaches an input, as PyTorch's exec_info: marks the inputs' nodes, orders the
    /// discovered nodes topologically, marks from the bottom up each node with an active node below it as needed,
    /// and recounts dependencies over the edges a needed node delivers along.
    /// </summary>
    private static void Prune<S>(ref S st, Workspace ws, ReadOnlySpan<Tensor> roots, Tensor[] inputs, bool capture) where S : struct, IPassStates
    {
        foreach (var x in inputs)
        {
            var node = Graph.EdgeOf(x)!;
            if (!st.Has(node)) continue;
            ref var s = ref st.Of(node);
            if (capture) s.Captured = true;
            else s.Target = true;
        }

        var order = ws.Order;
        var ready = ws.Ready;
        foreach (var r in roots)
        {
            var node = Graph.EdgeOf(r)!;
            ref var s = ref st.Of(node);
            if (s.Dependencies != 0 || s.Queued) continue;
            s.Queued = true;
            ready.Push(node);
        }
        while (ready.Count > 0)
        {
            var node = ready.Pop();
            order.Add(node);
            foreach (var next in node.Next)
                if (next is not null && --st.Of(next).Dependencies == 0) ready.Push(next);
        }

        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            bool below = false;
            foreach (var next in node.Next) below |= next is not null && st.Of(next).Active;
            ref var s = ref st.Of(node);
            s.Needed = s.Target || below;
            s.Queued = false;
        }
        foreach (var node in order)
        {
            if (!st.Of(node).Needed) continue;
            foreach (var next in node.Next)
            {
                if (next is null) continue;
                ref var ns = ref st.Of(next);
                if (ns.Active) ns.Dependencies++;
            }
        }
        order.Clear();
    }
}
