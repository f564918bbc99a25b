using Descent.Autograd;

namespace Descent.Tensors;

/// <summary>
/// An n-dimensional array with strides over a shared <see cref="Storage"/>, and the autograd fields
/// PyTorch's <c>torch.Tensor</c> carries: <see cref="RequiresGrad"/>, <see cref="Grad"/>, <see cref="GradFn"/>.
/// </summary>
// The internal fields behind public properties (shape, Shape) differ only in case; no other assembly sees both.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708:Identifiers should differ by more than case")]
public sealed partial class Tensor
{
    internal Storage storage;
    internal int offset;
    internal int[] shape;
    internal int[] strides;

    // Autograd: a leaf has no gradFn; an op's result points at the node that made it.
    internal Node? gradFn;
    // Which output of gradFn this tensor is (custom functions have several). A byte, so that the tensor stays the
    // size it was without it: a training step makes dozens of tensors.
    internal byte outputNr;
    internal bool leafRequiresGrad;
    internal bool retainsGrad;
    internal AccumulateGrad? accumulator;

    // Set by a backward node on a gradient it allocated and hands to one input only: the leaf's AccumulateGrad
    // may keep it as the leaf's grad instead of copying it (PyTorch steals such buffers too).
    internal bool freshGrad;

    // For a view, the tensor that owns the viewed memory (PyTorch's _base); null otherwise.
    internal Tensor? viewBase;
    private Tensor? grad;

    internal Tensor(Storage storage, int offset, int[] shape, int[] strides)
    {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    internal Tensor(Storage storage, int[] shape) : this(storage, 0, shape, ShapeHelper.ContiguousStrides(shape)) { }

    /// <summary>
    /// A zeroed contiguous tensor. Every new storage is sized here, with PyTorch's checks on the sizes (negative or
    /// overflowing) and the .NET array limit; see <see cref="ShapeHelper.StorageLength"/>.
    /// </summary>
    internal static Tensor Allocate(DType dtype, int[] shape)
    {
        int n = ShapeHelper.StorageLength(shape, dtype.ElementSize());
        var strides = ShapeHelper.ContiguousStrides(shape);
        return new(Storage.Allocate(dtype, n), 0, shape, strides);
    }

    /// <summary>A contiguous tensor the caller fills completely before it is read (see <see cref="Storage.AllocateForOverwrite"/>).</summary>
    internal static Tensor AllocateForOverwrite(DType dtype, int[] shape)
    {
        int n = ShapeHelper.StorageLength(shape, dtype.ElementSize());
        var strides = ShapeHelper.ContiguousStrides(shape);
        return new(Storage.AllocateForOverwrite(dtype, n), 0, shape, strides);
    }

    /// <summary>Element type.</summary>
    public DType DType => storage.DType;

    /// <summary>The shape (a copy), like <c>tensor.shape</c>.</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>The strides in elements (a copy), like <c>tensor.stride()</c>.</summary>
    public int[] Strides => (int[])strides.Clone();

    /// <summary>Offset of the first element in the storage, like <c>tensor.storage_offset()</c>.</summary>
    public int StorageOffset => offset;

    /// <summary>The storage this tensor views.</summary>
    public Storage Storage => storage;

    /// <summary>Number of dimensions, like <c>tensor.dim()</c>.</summary>
    public int Dim => shape.Length;

    /// <summary>Number of elements, like <c>tensor.numel()</c>.</summary>
    public int Numel => ShapeHelper.Numel(shape);

    /// <summary>Size of one dimension (negative counts from the end), like <c>tensor.size(dim)</c>.</summary>
    public int Size(int dim) => shape[ShapeHelper.WrapDim(dim, shape.Length)];

    /// <summary>Whether the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => ShapeHelper.IsContiguous(shape, strides);

    /// <summary>The node that created this tensor, or <c>null</c> for a leaf (PyTorch's <c>grad_fn</c>).</summary>
    public Node? GradFn => gradFn;

    /// <summary>Whether this tensor is a leaf of the autograd graph (made by the user, not by an op that tracks gradients).</summary>
    public bool IsLeaf => gradFn is null;

    /// <summary>
    /// Whether gradients are computed for this tensor. Only leaves of a floating-point type can change it,
    /// as in PyTorch.
    /// </summary>
    public bool RequiresGrad
    {
        get => gradFn is not null || leafRequiresGrad;
        set
        {
            if (gradFn is not null) throw new InvalidOperationException(RequiresGradLeafError(value));
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException("only Tensors of floating point dtype can require gradients");
            leafRequiresGrad = value;
        }
    }

    // PyTorch's requires_grad_leaf_error: only turning tracking off suggests detach().
    private static string RequiresGradLeafError(bool requiresGrad) => requiresGrad
        ? "you can only change requires_grad flags of leaf variables."
        : "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";

    /// <summary>
    /// Sets <see cref="RequiresGrad"/> and returns this tensor, like <c>requires_grad_()</c>. On a non-leaf,
    /// which already requires grad, asking for true is a no-op and false throws, as in PyTorch.
    /// </summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        if (gradFn is not null)
        {
            if (!requiresGrad) throw new InvalidOperationException(RequiresGradLeafError(false));
            return this;
        }
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// The accumulated gradient. Filled for leaves that require grad by <see cref="Backward"/>, and for
    /// non-leaves after <see cref="RetainGrad"/>.
    /// </summary>
    public Tensor? Grad
    {
        get => grad;
        set
        {
            if (value is not null && !ShapeHelper.SameShape(value.shape, shape))
                throw new ArgumentException(
                    $"assigned grad has data of a different size: {ShapeHelper.Format(value.shape)} vs {ShapeHelper.Format(shape)}");
            grad = value;
        }
    }

    /// <summary>Keeps this non-leaf tensor's gradient after backward, like <c>retain_grad()</c>.</summary>
    public void RetainGrad()
    {
        if (!RequiresGrad) throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (IsLeaf) return;
        retainsGrad = true;
        gradFn!.RetainOutput(this, outputNr);
    }

    /// <summary>Whether <see cref="RetainGrad"/> was called on this non-leaf.</summary>
    public bool RetainsGrad => retainsGrad;

    /// <summary>
    /// Computes the gradient of this tensor with respect to the graph's leaves and accumulates it into their
    /// <see cref="Grad"/>, like <c>backward()</c>. A non-scalar tensor needs <paramref name="gradient"/>. The graph is
    /// freed afterwards unless <paramref name="retainGraph"/> (which defaults to <paramref name="createGraph"/>).
    /// With <paramref name="createGraph"/> the backward computation is itself recorded, so the gradients can be
    /// differentiated again; with <paramref name="inputs"/> only those tensors accumulate a gradient (a non-leaf
    /// among them keeps its gradient as <see cref="RetainGrad"/> would).
    /// </summary>
    public void Backward(Tensor? gradient = null, bool? retainGraph = null, bool createGraph = false, IReadOnlyList<Tensor>? inputs = null)
    {
        if (inputs is null) GradCalls.Backward(this, gradient, retainGraph, createGraph);
        else GradCalls.Backward([this], [gradient], retainGraph, createGraph, inputs);
    }

    /// <summary>
    /// Registers a hook on this tensor's gradient, like <c>register_hook</c>: it is called with the gradient each
    /// time one is computed for this tensor, and a tensor it returns replaces the gradient (null keeps it). On a
    /// leaf it runs before the gradient is accumulated into <see cref="Grad"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor does not require grad (PyTorch's message).</exception>
    public RemovableHandle RegisterHook(Func<Tensor, Tensor?> hook) => TensorHooks.Register(this, hook);

    /// <summary>Registers a hook that only observes this tensor's gradient; see <see cref="RegisterHook(Func{Tensor, Tensor})"/>.</summary>
    public RemovableHandle RegisterHook(Action<Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return TensorHooks.Register(this, g =>
        {
            hook(g);
            return null;
        });
    }

    /// <summary>
    /// Registers a hook called with this leaf after its gradient has been accumulated into <see cref="Grad"/>,
    /// like <c>register_post_accumulate_grad_hook</c>: stepping an optimizer for the parameter there runs the update
    /// during the backward pass. Not called by <c>Torch.Autograd.Grad</c>, which accumulates nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor does not require grad, or is not a leaf (PyTorch's messages).</exception>
    public RemovableHandle RegisterPostAccumulateGradHook(Action<Tensor> hook) => TensorHooks.RegisterPostAccumulate(this, hook);

    /// <summary>A tensor sharing this one's data but cut from the graph, like <c>detach()</c>.</summary>
    public Tensor Detach() => new(storage, offset, shape, strides);

    /// <summary>Cuts this tensor from the graph in place, like <c>detach_()</c>.</summary>
    public Tensor Detach_()
    {
        gradFn = null;
        leafRequiresGrad = false;
        return this;
    }

    /// <summary>Records an in-place write for autograd's saved-tensor checks.</summary>
    internal void BumpVersion() => storage.Version++;

    /// <summary>The elements as a span; the tensor must be contiguous and of element type <typeparamref name="T"/>.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (storage is not Storage<T> s)
            throw new InvalidOperationException($"Tensor has dtype {DType.TorchName()}, not {typeof(T).Name}.");
        if (!IsContiguous) throw new InvalidOperationException("AsSpan needs a contiguous tensor; call Contiguous() first.");
        return s.Data.AsSpan(offset, Numel);
    }

    /// <summary>The float32 elements as a span (contiguous tensors only).</summary>
    public Span<float> AsSpan() => AsSpan<float>();

    internal T[] Data<T>() where T : unmanaged => ((Storage<T>)storage).Data;

    /// <summary>The only element of a one-element tensor as a double, like <c>item()</c>.</summary>
    public double Item()
    {
        if (Numel != 1)
            throw new InvalidOperationException($"a Tensor with {Numel} elements cannot be converted to Scalar");
        return GetAsDouble(offset);
    }

    /// <summary>The only element as <typeparamref name="T"/>.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Numel != 1)
            throw new InvalidOperationException($"a Tensor with {Numel} elements cannot be converted to Scalar");
        return Data<T>()[offset];
    }

    internal double GetAsDouble(int storageIndex) => storage switch
    {
        Storage<float> f => f.Data[storageIndex],
        Storage<double> d => d.Data[storageIndex],
        Storage<long> l => l.Data[storageIndex],
        Storage<int> n => n.Data[storageIndex],
        Storage<bool> b => b.Data[storageIndex] ? 1 : 0,
        _ => throw new NotSupportedException(),
    };

    /// <summary>An integral or bool element exactly (a double cannot hold every int64).</summary>
    internal long GetAsLong(int storageIndex) => storage switch
    {
        Storage<long> l => l.Data[storageIndex],
        Storage<int> n => n.Data[storageIndex],
        Storage<bool> b => b.Data[storageIndex] ? 1 : 0,
        _ => (long)GetAsDouble(storageIndex),
    };

    /// <summary>Copies the elements, in row-major order, into a new array.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var c = Contiguous();
        if (c.storage is not Storage<T>)
            throw new InvalidOperationException($"Tensor has dtype {DType.TorchName()}, not {typeof(T).Name}.");
        return c.AsSpan<T>().ToArray();
    }

    /// <summary>Copies float32 elements into a new array.</summary>
    public float[] ToArray() => To(DType.Float32).ToArray<float>();

    /// <summary>Storage index of each element in row-major order, for strided walks.</summary>
    internal void ForEachIndex(Action<int> action)
    {
        int n = Numel;
        if (n == 0) return;
        int rank = shape.Length;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        int pos = offset;
        for (int i = 0; i < n; i++)
        {
            action(pos);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < shape[d]) { pos += strides[d]; break; }
                pos -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => TensorFormatter.Format(this);
}
