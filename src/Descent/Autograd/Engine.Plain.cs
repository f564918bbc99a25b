using Descent.Tensors;

namespace Descent.Autograd;

internal static partial class Engine
{
    /// <summary>
    /// The plain backward pass — one root, every node reached runs, nothing captured — as the general walk does it but
    /// cheaper, for it is the one every training step takes: a node is claimed with one compare-and-swap when found
    /// and freed as soon as it has run, so no list of visited nodes is kept and nothing is left to undo at the end.
    /// False when a node another pass holds was met; nothing ran then and this pass's claims are given back.
    /// </summary>
    private static bool PlainWalk(Node start, int slot, Tensor gradient, bool retainGraph, bool recorded, Workspace ws)
    {
        int pass = NextPass();
        var stack = ws.Stack;
        var ready = ws.Ready;
        try
        {
            if (!Claim(start, pass)) return false;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                foreach (var next in node.Next)
                {
                    if (next is null) continue;
                    if (next.Owner != pass)
                    {
                        if (!Claim(next, pass))
                        {
                            GiveBack(start, pass);
                            return false;
                        }
                        stack.Push(next);
                    }
                    next.State.Dependencies++;
                }
            }

            AddPending(ref start.State, start, slot, gradient, ws);
            ready.Push(start);
            while (ready.Count > 0)
            {
                var node = ready.Pop();
                Tensor?[] inputGrads;
                if (node.OutputCount == 1)
                {
                    var g = node.State.Pending;
                    node.State.Pending = null;
                    if (g is not null && node.Extra is { Hooked: true } hooks) g = TensorHooks.Run(hooks, 0, g);
                    inputGrads = g is null ? [] : recorded ? node.ApplyRecorded(g) : node.Apply(g);
                }
                else inputGrads = Evaluate(node, ref node.State, recorded, null, null, ws);
                var nexts = node.Next;
                for (int i = 0; i < nexts.Length; i++)
                {
                    var next = nexts[i];
                    if (next is null) continue;
                    var g = i < inputGrads.Length ? inputGrads[i] : null;
                    if (g is not null)
                    {
                        if (i < node.InputTypes.Length && g.DType != node.InputTypes[i]) g = g.To(node.InputTypes[i]);
                        if (next.OutputCount == 1) next.State.Pending = next.State.Pending is null ? g : next.State.Pending.Add(g);
                        else AddPending(ref next.State, next, node.NextSlots is { } slots ? slots[i] : 0, g, ws);
                    }
                    if (--next.State.Dependencies == 0) ready.Push(next);
                }
                if (!retainGraph && node is not AccumulateGrad) node.Release();
                // Done with it in this pass: another may claim it now.
                Volatile.Write(ref node.Owner, 0);
            }
            return true;
        }
        catch
        {
            GiveBack(start, pass);
            throw;
        }
    }

    private static bool Claim(Node node, int pass)
    {
        if (Interlocked.CompareExchange(ref node.Owner, pass, 0) != 0) return false;
        // Every node runs in the plain pass (Evaluate reads this for nodes with several outputs).
        node.State = new NodeState { Needed = true };
        return true;
    }

    /// <summary>
    /// Frees every node below <paramref name="start"/> that <paramref name="pass"/> still holds, after a conflict or
    /// an exception. The nodes freed along the way may hide held ones below them, so the whole graph is walked.
    /// </summary>
    private static void GiveBack(Node start, int pass)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node)) continue;
            if (node.Owner == pass)
            {
                node.State = default;
                Volatile.Write(ref node.Owner, 0);
            }
            foreach (var next in node.Next)
                if (next is not null) stack.Push(next);
        }
    }
}
