using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Descent.Autograd;

/// <summary>What <see cref="IPassStates.Visit"/> found.</summary>
internal enum Visit
{
    /// <summary>First visit in this pass: the node's state was reset.</summary>
    New,

    /// <summary>Already visited in this pass.</summary>
    Seen,

    /// <summary>Another pass holds the node's in-node state; this pass must keep its states elsewhere.</summary>
    Conflict,
}

/// <summary>Where a backward pass keeps its per-node bookkeeping.</summary>
internal interface IPassStates
{
    /// <summary>Registers <paramref name="node"/> with this pass.</summary>
    Visit Visit(Node node);

    /// <summary>The state of a node this pass visited.</summary>
    ref NodeState Of(Node node);

    /// <summary>Whether this pass visited <paramref name="node"/>.</summary>
    bool Has(Node node);
}

/// <summary>
/// States in the nodes themselves: no lookup, no allocation. A pass claims each node it visits (one atomic
/// compare-and-swap) and gives it back at the end; a node another pass holds is a <see cref="Visit.Conflict"/>.
/// </summary>
internal readonly struct FieldStates(int pass, List<Node> visited) : IPassStates
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Visit Visit(Node node)
    {
        int owner = Interlocked.CompareExchange(ref node.Owner, pass, 0);
        if (owner == 0)
        {
            node.State = default;
            visited.Add(node);
            return Autograd.Visit.New;
        }
        return owner == pass ? Autograd.Visit.Seen : Autograd.Visit.Conflict;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref NodeState Of(Node node) => ref node.State;

    public bool Has(Node node) => Volatile.Read(ref node.Owner) == pass;

    /// <summary>Clears and frees every node this pass claimed.</summary>
    public void ReleaseAll()
    {
        foreach (var n in visited)
        {
            n.State = default;
            Volatile.Write(ref n.Owner, 0);
        }
        visited.Clear();
    }
}

/// <summary>
/// States in a dictionary of the pass's own: for a pass that meets nodes another pass holds (two passes over one
/// retained graph on two threads, or a pass started from inside another one's hook).
/// </summary>
internal readonly struct MapStates(Dictionary<Node, NodeState> map) : IPassStates
{
    public Visit Visit(Node node)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(map, node, out bool exists);
        return exists ? Autograd.Visit.Seen : Autograd.Visit.New;
    }

    // Refs stay valid while the pass runs: every node is added while the graph is discovered, before any is used.
    public ref NodeState Of(Node node) => ref CollectionsMarshal.GetValueRefOrNullRef(map, node);

    public bool Has(Node node) => map.ContainsKey(node);
}
