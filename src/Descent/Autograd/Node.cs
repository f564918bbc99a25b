using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// A function in the backward graph (PyTorch's <c>grad_fn</c>): given the gradient of its output, it returns
/// the gradients of its inputs. Each subclass states one op's local derivative.
/// </summary>
/// <remarks>
/// A node's backward runs with grad mode off for a plain backward pass and on under <c>createGraph</c>; the
/// formulas are written with tensor ops, so in the second case they record the graph of the derivative. The few
/// nodes with a fused kernel for speed keep it for the first case and use tensor ops in the second.
/// </remarks>
public abstract class Node
{
    // Nodes are made by the library's ops and custom functions (Function), never derived from elsewhere.
    private protected Node() { }

    // Tensors whose gradient is kept (retain_grad), one per output; null until asked for.
    private Tensor?[]? retained;

    /// <summary>For each input: the node its gradient flows to, or null when the input needs no gradient.</summary>
    internal Node?[] Next = [];

    /// <summary>For each input: which output of its <see cref="Next"/> node it is; null when all are output 0.</summary>
    internal int[]? NextSlots;

    /// <summary>The dtype of each input, which its gradient is converted to.</summary>
    internal DType[] InputTypes = [];

    // A backward pass's bookkeeping, in the node while one pass owns it (see PassStates); 0 means free.
    internal int Owner;
    internal NodeState State;

    // Hooks on the gradient of an output (Tensor.RegisterHook), replaced whole when one is added or removed so a
    // pass on another thread reads a consistent array without a lock.
    internal TensorHook[]? PreHooks;

    /// <summary>PyTorch's name for this function, e.g. <c>MulBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <see cref="Release"/> has freed the saved tensors.</summary>
    private protected bool Released { get; private set; }

    /// <summary>The number of outputs (tensors this node is the grad_fn of); one but for custom functions.</summary>
    internal virtual int OutputCount => 1;

    /// <summary>The gradients of the inputs, in order; an entry may be null where <see cref="Next"/> is null.</summary>
    internal abstract Tensor?[] Apply(Tensor gradOutput);

    /// <summary>
    /// The gradients of the inputs from the gradients of all outputs (null where an output got none). Only nodes
    /// with several outputs override it.
    /// </summary>
    internal virtual Tensor?[] ApplyAll(Tensor?[] gradOutputs) => gradOutputs[0] is { } g ? Apply(g) : [];

    /// <summary>Frees saved tensors once backward is done, unless the graph is retained.</summary>
    internal void Release()
    {
        Released = true;
        ReleaseSaved();
    }

    /// <summary>Drops references to saved tensors.</summary>
    private protected virtual void ReleaseSaved() { }

    /// <summary>
    /// Marks a gradient this node allocated and hands to one input only, so that a leaf may keep it as its grad
    /// instead of copying it (see <see cref="AccumulateGrad"/>).
    /// </summary>
    private protected static Tensor Fresh(Tensor t)
    {
        t.freshGrad = true;
        return t;
    }

    /// <summary>
    /// Whether this backward must record its own graph (<c>create_graph</c>): then only differentiable tensor ops
    /// may compute it, not a fused kernel.
    /// </summary>
    private protected static bool Recording => GradMode.IsEnabled;

    /// <summary>Throws PyTorch's message when saved tensors were already freed.</summary>
    internal void EnsureNotReleased()
    {
        if (Released)
            throw new InvalidOperationException(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
    }

    internal void RetainOutput(Tensor t, int slot)
    {
        Interlocked.CompareExchange(ref retained, new Tensor?[OutputCount], null);
        retained[slot] = t;
    }

    internal Tensor? RetainedOutput(int slot) => retained is { } r ? r[slot] : null;

    internal bool HasRetained => retained is not null;

    /// <summary>The nodes that gradients flow to, like <c>grad_fn.next_functions</c>.</summary>
    public IReadOnlyList<Node?> NextFunctions => Next;

    /// <inheritdoc/>
    public override string ToString() => $"<{Name}>";
}

/// <summary>A hook on the gradient of one output of a node, with the identity its handle removes it by.</summary>
internal sealed record TensorHook(int Slot, Func<Tensor, Tensor?> Hook);

/// <summary>One node's bookkeeping during a backward pass.</summary>
internal struct NodeState
{
    /// <summary>Consumers that have yet to deliver their gradient.</summary>
    public int Dependencies;

    /// <summary>The sum of the gradients delivered so far for output 0.</summary>
    public Tensor? Pending;

    /// <summary>The same for every output of a node with several (null otherwise).</summary>
    public Tensor?[]? PendingSlots;

    /// <summary>Whether the node runs (its backward is needed to reach what the pass computes).</summary>
    public bool Needed;

    /// <summary>Whether the gradient of one of its outputs is one of the pass's results (autograd.grad).</summary>
    public bool Captured;

    /// <summary>Whether it is the node of one of the inputs given to <c>backward(inputs=...)</c>.</summary>
    public bool Target;

    /// <summary>Whether it was put on the ready stack (a root given twice must run once).</summary>
    public bool Queued;

    /// <summary>Whether the node leads to a capture or a node that runs: a parent must then deliver to it.</summary>
    public readonly bool Active => Needed || Captured;
}

/// <summary>A tensor saved for backward, with the storage version it had so in-place changes are caught.</summary>
internal readonly struct SavedTensor
{
    private readonly Tensor tensor;
    private readonly int version;
    private readonly bool isOutput;

    /// <summary>
    /// Saves <paramref name="t"/>. <paramref name="isOutput"/> marks the saving node's own result (exp, sqrt,
    /// sigmoid save theirs), which PyTorch's error message names by that node rather than by the tensor's
    /// current grad_fn.
    /// </summary>
    public SavedTensor(Tensor t, bool isOutput = false)
    {
        tensor = t;
        version = t.storage.Version;
        this.isOutput = isOutput;
    }

    public Tensor Value(string nodeName)
    {
        if (tensor.storage.Version != version)
        {
            // As PyTorch's SavedVariable::unpack: an input is named by its grad_fn now (a leaf by nothing).
            var producer = isOutput ? nodeName : tensor.gradFn?.Name;
            var which = producer is null ? "" : $", which is output 0 of {producer},";
            throw new InvalidOperationException(
                $"one of the variables needed for gradient computation has been modified by an inplace operation: " +
                $"[{tensor.DType.LegacyTypeName()} {ShapeHelper.Format(tensor.shape)}]{which} " +
                $"is at version {tensor.storage.Version}; expected version {version} instead. " +
                "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        }
        return tensor;
    }
}
