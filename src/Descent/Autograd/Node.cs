using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// A function in the backward graph (PyTorch's <c>grad_fn</c>): given the gradient of its output, it returns
/// the gradients of its inputs. Each subclass states one op's local derivative.
/// </summary>
/// <remarks>
/// A node's backward runs with grad mode off for a plain backward pass and on under <c>createGraph</c>; the
/// formulas are written with tensor ops, so in the second case they record the graph of the derivative. The few
/// nodes with a fused kernel for speed keep it for the first case and give the formula in tensor ops for the
/// second (ApplyRecorded).
/// </remarks>
public abstract class Node
{
    // Nodes are made by the library's ops and custom functions (Function), never derived from elsewhere.
    private protected Node() { }

    // The fields are kept to what every node needs, so that a node is no larger than the plain backward needs: a
    // training step makes a few dozen. What only some nodes have (hooks, several outputs) is in Extra.

    /// <summary>For each input: the node its gradient flows to, or null when the input needs no gradient.</summary>
    internal Node?[] Next = [];

    /// <summary>The dtype of each input, which its gradient is converted to.</summary>
    internal DType[] InputTypes = [];

    /// <summary>Hooks, retain_grad and output slots of inputs; null for nearly every node, so one test skips them all.</summary>
    internal NodeExtras? Extra;

    // A backward pass's bookkeeping, in the node while one pass owns it (see PassStates); 0 means free.
    internal int Owner;
    internal NodeState State;

    /// <summary>The number of outputs (tensors this node is the grad_fn of); one but for custom functions.</summary>
    internal byte OutputCount = 1;

    /// <summary>For each input: which output of its <see cref="Next"/> node it is; null when all are output 0.</summary>
    internal int[]? NextSlots => Extra?.NextSlots;

    /// <summary>PyTorch's name for this function, e.g. <c>MulBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <see cref="Release"/> has freed the saved tensors.</summary>
    private protected bool Released { get; private set; }

    /// <summary>The gradients of the inputs, in order; an entry may be null where <see cref="Next"/> is null.</summary>
    internal abstract Tensor?[] Apply(Tensor gradOutput);

    /// <summary>
    /// <see cref="Apply"/> under <c>create_graph</c> (grad mode on), where the gradients must be computed by ops that
    /// record their own graph. Most nodes' formulas are such ops already; a node with a fused kernel overrides this
    /// with the same formula in differentiable ops, so the plain pass keeps the kernel and tests no flag for it.
    /// </summary>
    internal virtual Tensor?[] ApplyRecorded(Tensor gradOutput) => Apply(gradOutput);

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


    /// <summary>Throws PyTorch's message when saved tensors were already freed.</summary>
    internal void EnsureNotReleased()
    {
        if (Released)
            throw new InvalidOperationException(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
    }

    internal NodeExtras Extras()
    {
        if (Extra is null) Interlocked.CompareExchange(ref Extra, new NodeExtras(OutputCount), null);
        return Extra;
    }

    internal void RetainOutput(Tensor t, int slot) => Extras().Retained[slot] = t;

    /// <summary>The nodes that gradients flow to, like <c>grad_fn.next_functions</c>.</summary>
    public IReadOnlyList<Node?> NextFunctions => Next;

    /// <inheritdoc/>
    public override string ToString() => $"<{Name}>";
}

/// <summary>A hook on the gradient of one output of a node, with the identity its handle removes it by.</summary>
internal sealed record TensorHook(int Slot, Func<Tensor, Tensor?> Hook);

/// <summary>What only some nodes have: hooks on their outputs' gradients (see <see cref="TensorHooks"/>), and inputs that are not output 0 of theirs.</summary>
internal sealed class NodeExtras(int outputs)
{
    /// <summary>The tensor hooks, replaced whole on change so a pass on another thread reads a consistent array.</summary>
    public TensorHook[]? Pre;

    /// <summary>Per output, the tensor whose gradient is kept (retain_grad).</summary>
    public readonly Tensor?[] Retained = new Tensor?[outputs];

    /// <summary>Whether any hook or retained gradient is there.</summary>
    public bool Hooked => Pre is not null || Array.Exists(Retained, t => t is not null);

    /// <summary>See <see cref="Node.NextSlots"/>.</summary>
    public int[]? NextSlots;
}

/// <summary>
/// One node's bookkeeping during a backward pass. The gradients of a node with several outputs are kept by the
/// pass itself (Engine.Workspace.Slots), not here, as few nodes have them.
/// </summary>
internal struct NodeState
{
    private const byte NeededBit = 1, CapturedBit = 2, TargetBit = 4, QueuedBit = 8;
    private byte flags;

    /// <summary>The sum of the gradients delivered so far (output 0).</summary>
    public Tensor? Pending;

    /// <summary>Consumers that have yet to deliver their gradient.</summary>
    public int Dependencies;

    /// <summary>Whether the node runs (its backward is needed to reach what the pass computes).</summary>
    public bool Needed { readonly get => Get(NeededBit); set => Set(NeededBit, value); }

    /// <summary>Whether the gradient of one of its outputs is one of the pass's results (autograd.grad).</summary>
    public bool Captured { readonly get => Get(CapturedBit); set => Set(CapturedBit, value); }

    /// <summary>Whether it is the node of one of the inputs given to <c>backward(inputs=...)</c>.</summary>
    public bool Target { readonly get => Get(TargetBit); set => Set(TargetBit, value); }

    /// <summary>Whether it was put on the ready stack (a root given twice must run once).</summary>
    public bool Queued { readonly get => Get(QueuedBit); set => Set(QueuedBit, value); }

    /// <summary>Whether the node leads to a capture or a node that runs: a parent must then deliver to it.</summary>
    public readonly bool Active => (flags & (NeededBit | CapturedBit)) != 0;

    private readonly bool Get(byte bit) => (flags & bit) != 0;

    private void Set(byte bit, bool value) => flags = value ? (byte)(flags | bit) : (byte)(flags & ~bit);
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
