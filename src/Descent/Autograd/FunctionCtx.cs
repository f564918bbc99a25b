using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// What a custom <see cref="Function"/>'s forward leaves for its backward, like the <c>ctx</c> of
/// <c>torch.autograd.Function</c>: saved tensors (checked for in-place changes and freed with the graph), which
/// inputs need a gradient, and any other values by name (PyTorch's <c>ctx.attribute = value</c>).
/// </summary>
public sealed class FunctionCtx
{
    private readonly Dictionary<string, object?> values = [];
    private SavedTensor[] saved = [];
    private bool[] savedPresent = [];
    private Node? node;

    internal FunctionCtx(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

    /// <summary>For each input, whether the backward must compute its gradient, like <c>ctx.needs_input_grad</c>.</summary>
    public IReadOnlyList<bool> NeedsInputGrad { get; }

    /// <summary>
    /// Whether a gradient missing for an output reaches <c>Backward</c> as zeros (the default) or as null, like
    /// <c>ctx.set_materialize_grads</c>.
    /// </summary>
    public bool MaterializeGrads { get; set; } = true;

    /// <summary>A value kept for the backward, like <c>ctx.name = value</c> in Python; null when never set.</summary>
    public object? this[string name]
    {
        get => values.GetValueOrDefault(name);
        set => values[name] = value;
    }

    /// <summary>
    /// Saves tensors (inputs or outputs; null entries allowed) for the backward, like <c>ctx.save_for_backward</c>.
    /// Call it in the forward, at most once.
    /// </summary>
    public void SaveForBackward(params Tensor?[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        saved = new SavedTensor[tensors.Length];
        savedPresent = new bool[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            if (tensors[i] is not { } t) continue;
            saved[i] = new SavedTensor(t);
            savedPresent[i] = true;
        }
    }

    /// <summary>
    /// The tensors given to <see cref="SaveForBackward"/>, like <c>ctx.saved_tensors</c>. They keep their graph, so a
    /// backward written with tensor ops can be differentiated again.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph was freed, or a saved tensor was modified in place (PyTorch's messages).</exception>
    public IReadOnlyList<Tensor?> SavedTensors
    {
        get
        {
            node?.EnsureNotReleased();
            var name = node?.Name ?? "";
            var r = new Tensor?[saved.Length];
            for (int i = 0; i < r.Length; i++) r[i] = savedPresent[i] ? saved[i].Value(name) : null;
            return r;
        }
    }

    internal void Bind(Node n) => node = n;

    internal void Release()
    {
        saved = [];
        savedPresent = [];
    }
}
