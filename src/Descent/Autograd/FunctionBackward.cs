using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// The node of a custom <see cref="Function"/>: one per call, with as many outputs as the forward returned. It
/// hands the output gradients to the user's backward and checks what comes back as PyTorch's engine does.
/// </summary>
internal sealed class FunctionBackward : Node
{
    private readonly string name;
    private readonly FunctionCtx ctx;
    private readonly Func<FunctionCtx, Tensor?[], Tensor?[]> backward;
    private readonly (int[] Shape, DType DType)[] outputs;
    private readonly int[][] inputShapes;

    private FunctionBackward(string name, FunctionCtx ctx, Func<FunctionCtx, Tensor?[], Tensor?[]> backward, Tensor[] outs, Tensor[] inputs)
    {
        this.name = name;
        this.ctx = ctx;
        this.backward = backward;
        outputs = Array.ConvertAll(outs, o => (o.Shape, o.DType));
        inputShapes = Array.ConvertAll(inputs, x => x.Shape);
        OutputCount = (byte)outs.Length;
    }

    public override string Name => name;

    /// <summary>PyTorch's <c>Function.apply</c>: the forward without grad mode, then the outputs tied to a new node.</summary>
    public static Tensor[] Run(string typeName, Tensor[] inputs, Func<FunctionCtx, Tensor[]> forward, Func<FunctionCtx, Tensor?[], Tensor?[]> backward)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var needs = Array.ConvertAll(inputs, x => x.RequiresGrad);
        bool record = GradMode.IsEnabled && Array.Exists(needs, n => n);
        var ctx = new FunctionCtx(needs);
        Tensor[] outs;
        using (GradMode.Set(false)) outs = forward(ctx);
        if (outs is null || outs.Length == 0 || Array.Exists(outs, o => o is null))
            throw new InvalidOperationException($"{typeName}.forward must return tensors");
        if (outs.Length > byte.MaxValue)
            throw new InvalidOperationException($"{typeName}.forward returned {outs.Length} tensors; a custom function has at most {byte.MaxValue} outputs");
        if (!record) return outs;

        var node = new FunctionBackward(typeName + "Backward", ctx, backward, outs, inputs);
        ctx.Bind(node);
        Graph.Connect(node, inputs);
        for (int i = 0; i < outs.Length; i++)
        {
            var o = outs[i];
            // Only floating-point outputs are differentiable; an input returned as it is becomes a new alias of it.
            if (!o.DType.IsFloatingPoint()) continue;
            if (Array.Exists(inputs, x => ReferenceEquals(x, o))) outs[i] = o = o.Detach();
            o.gradFn = node;
            o.outputNr = (byte)i;
        }
        return outs;
    }

    internal override Tensor?[] Apply(Tensor gradOutput) => ApplyAll([gradOutput]);

    internal override Tensor?[] ApplyAll(Tensor?[] gradOutputs)
    {
        // No EnsureNotReleased: as in PyTorch, only reading the saved tensors of a freed graph is an error.
        if (ctx.MaterializeGrads)
            for (int k = 0; k < gradOutputs.Length; k++)
                gradOutputs[k] ??= Tensor.Zeros(outputs[k].Shape, outputs[k].DType);
        var grads = backward(ctx, gradOutputs) ?? [];
        if (grads.Length != Next.Length)
            throw new InvalidOperationException(
                $"function {name} returned an incorrect number of gradients (expected {Next.Length}, got {grads.Length})");
        for (int i = 0; i < grads.Length; i++)
        {
            // As the engine's validate_outputs: a gradient may be larger than its input if the input expands to it.
            if (grads[i] is not { } g || Next[i] is null || ShapeHelper.SameShape(g.shape, inputShapes[i])) continue;
            if (!ExpandsTo(inputShapes[i], g.shape))
                throw new InvalidOperationException(
                    $"Function {name} returned an invalid gradient at index {i} - got {ShapeHelper.Format(g.shape)} but expected shape compatible with {ShapeHelper.Format(inputShapes[i])}");
            grads[i] = g.SumToShape(inputShapes[i]);
        }
        return grads;
    }

    private static bool ExpandsTo(int[] shape, int[] target)
    {
        if (shape.Length > target.Length) return false;
        for (int i = 1; i <= shape.Length; i++)
            if (shape[^i] != target[^i] && shape[^i] != 1) return false;
        return true;
    }

    private protected override void ReleaseSaved() => ctx.Release();
}
