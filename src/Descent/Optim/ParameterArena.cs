using Descent.NN;
using Descent.Tensors;

namespace Descent.Optim;

/// <summary>
/// Re-homes float32 parameters as views into one contiguous storage, and their gradients as views into another, so
/// that an optimizer given <see cref="Flat"/> steps them all as one span: one job, cut into chunks over threads,
/// instead of one per tensor. With many small tensors the per-tensor work of a step (state lookup, checks, a kernel
/// call with its scalar tail) costs more than the arithmetic; the arena turns it into one loop over the gradients.
/// <code>
/// var arena = new ParameterArena(model);             // before the first forward pass
/// var opt = new Adam([arena.Flat], lr: 1e-3);
/// using var gather = arena.Attach(opt);               // gathers the gradients before every step
/// </code>
/// The parameters keep their identity, shape and values (the module still holds them); only their memory moves. A
/// backward pass accumulates into the gradient views in place, so a step normally copies nothing; a gradient that was
/// replaced (zero_grad(set_to_none) then backward makes a fresh one) is copied in and its view re-attached. Unlike
/// separate tensors, which an optimizer skips when they have no gradient, a parameter without one steps with a zero
/// gradient (its moments still decay). The optimizer's state is the flat parameter's: one state-dict entry.
/// </summary>
public sealed class ParameterArena
{
    private readonly Tensor[] parameters;
    private readonly Tensor[] gradViews;

    /// <summary>Re-homes the parameters of <paramref name="module"/>.</summary>
    public ParameterArena(Module module) : this(module.Parameters()) { }

    /// <summary>
    /// Re-homes <paramref name="parameters"/>: distinct float32 leaves, none sharing storage with another. Views of
    /// a parameter made before (other than the parameter itself) keep the old memory and no longer follow it.
    /// </summary>
    public ParameterArena(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        var storages = new HashSet<Storage>(ReferenceEqualityComparer.Instance);
        long total = 0;
        foreach (var p in this.parameters)
        {
            if (p.DType != DType.Float32) throw new ArgumentException($"ParameterArena holds float32 parameters; got {p.DType.TorchName()}");
            if (!p.IsLeaf) throw new ArgumentException("ParameterArena holds leaf tensors only");
            if (!storages.Add(p.Storage)) throw new ArgumentException("ParameterArena got two parameters sharing storage (or one twice)");
            total += p.Numel;
        }
        if (total > int.MaxValue) throw new ArgumentException("ParameterArena holds at most 2³¹ − 1 elements");
        var data = new Storage<float>(new float[total]);
        var grads = new Storage<float>(new float[total]);
        gradViews = new Tensor[this.parameters.Length];
        int offset = 0;
        for (int i = 0; i < this.parameters.Length; i++)
        {
            var p = this.parameters[i];
            int n = p.Numel;
            var strides = ShapeHelper.ContiguousStrides(p.shape);
            p.Contiguous().AsSpan().CopyTo(data.Data.AsSpan(offset, n));
            var view = new Tensor(grads, offset, (int[])p.shape.Clone(), (int[])strides.Clone());
            if (p.Grad is { } g) g.Contiguous().AsSpan().CopyTo(view.AsSpan());
            // Re-home in place: the module and autograd keep referring to the same tensor object.
            p.storage = data;
            p.offset = offset;
            p.strides = strides;
            p.Grad = view;
            gradViews[i] = view;
            offset += n;
        }
        Flat = new Tensor(data, 0, [offset], [1]).RequiresGrad_();
        FlatGrad = new Tensor(grads, 0, [offset], [1]);
        Flat.Grad = FlatGrad;
    }

    /// <summary>Every parameter's elements, in order, as one 1-D leaf: the tensor to give the optimizer.</summary>
    public Tensor Flat { get; }

    /// <summary>Every parameter's gradient, in the same order: <see cref="Flat"/>'s gradient.</summary>
    public Tensor FlatGrad { get; }

    /// <summary>The re-homed parameters, in order.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>
    /// Makes <see cref="FlatGrad"/> hold every parameter's current gradient. A parameter whose gradient is still its
    /// arena view costs one comparison; a replaced gradient is copied in and the view re-attached (so the next backward
    /// accumulates in place again); a missing one contributes zeros.
    /// </summary>
    public void GatherGrads()
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var g = p.Grad;
            if (ReferenceEquals(g, gradViews[i])) continue;
            var view = gradViews[i].AsSpan();
            if (g is null) view.Clear();
            else g.Contiguous().AsSpan().CopyTo(view);
            p.Grad = gradViews[i];
        }
        if (!ReferenceEquals(Flat.Grad, FlatGrad)) Flat.Grad = FlatGrad;
    }

    /// <summary>Zeroes every gradient in one fill, keeping the views attached (the arena's <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrad()
    {
        FlatGrad.AsSpan().Clear();
        for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = gradViews[i];
        Flat.Grad = FlatGrad;
    }

    /// <summary>Calls <see cref="GatherGrads"/> before every step of <paramref name="optimizer"/>; dispose to stop.</summary>
    public IDisposable Attach(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.RegisterStepPreHook(_ => GatherGrads());
    }
}
