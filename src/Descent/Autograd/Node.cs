using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// A function in the backward graph (PyTorch's <c>grad_fn</c>): given the gradient of its output, it returns
/// the gradients of its inputs. Each subclass states one op's local derivative.
/// </summary>
public abstract class Node
{
    private Tensor? retainedOutput;

    /// <summary>For each input: the node its gradient flows to, or null when the input needs no gradient.</summary>
    internal Node?[] Next = [];

    /// <summary>The dtype of each input, which its gradient is converted to.</summary>
    internal DType[] InputTypes = [];

    // Engine bookkeeping, reused across passes so that a backward pass allocates no dictionaries.
    internal int Dependencies;
    internal Tensor? PendingGrad;
    internal int VisitMark;

    /// <summary>PyTorch's name for this function, e.g. <c>MulBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <see cref="Release"/> has freed the saved tensors.</summary>
    protected bool Released { get; private set; }

    /// <summary>The gradients of the inputs, in order; an entry may be null where <see cref="Next"/> is null.</summary>
    protected internal abstract Tensor?[] Apply(Tensor gradOutput);

    /// <summary>Frees saved tensors once backward is done, unless the graph is retained.</summary>
    internal void Release()
    {
        Released = true;
        ReleaseSaved();
    }

    /// <summary>Drops references to saved tensors.</summary>
    protected virtual void ReleaseSaved() { }

    /// <summary>
    /// Marks a gradient this node allocated and hands to one input only, so that a leaf may keep it as its grad
    /// instead of copying it (see <see cref="AccumulateGrad"/>).
    /// </summary>
    protected static Tensor Fresh(Tensor t)
    {
        t.freshGrad = true;
        return t;
    }

    /// <summary>Throws PyTorch's message when saved tensors were already freed.</summary>
    protected void EnsureNotReleased()
    {
        if (Released)
            throw new InvalidOperationException(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
    }

    internal void RetainOutput(Tensor t) => retainedOutput = t;

    internal Tensor? RetainedOutput => retainedOutput;

    /// <summary>The nodes that gradients flow to, like <c>grad_fn.next_functions</c>.</summary>
    public IReadOnlyList<Node?> NextFunctions => Next;

    /// <inheritdoc/>
    public override string ToString() => $"<{Name}>";
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
