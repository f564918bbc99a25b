using Descent.Tensors;

namespace Descent.Autograd;

/// <summary>
/// A custom differentiable operation with one output, like a <c>torch.autograd.Function</c> subclass:
/// <see cref="Forward"/> computes the result (without recording a graph) and saves what the backward needs on the
/// context; <see cref="Backward"/> returns the gradient of each input from the gradient of the output.
/// <see cref="Apply"/> runs it and, when an input requires grad, makes the result's grad_fn a node named
/// <c>{ClassName}Backward</c>. A backward written with tensor ops is recorded under create_graph, so it can be
/// differentiated again. Arguments that are not tensors are the function object's own (constructor) state.
/// </summary>
/// <example>
/// <code>
/// sealed class Exp : Function
/// {
///     protected override Tensor Forward(FunctionCtx ctx, Tensor[] inputs)
///     {
///         var result = inputs[0].Exp();
///         ctx.SaveForBackward(result);
///         return result;
///     }
///
///     protected override Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput) =>
///         [gradOutput.Mul(ctx.SavedTensors[0]!)];
/// }
///
/// var y = new Exp().Apply(x);
/// </code>
/// </example>
public abstract class Function
{
    /// <summary>Computes the output from <paramref name="inputs"/>; runs with grad mode off.</summary>
    protected abstract Tensor Forward(FunctionCtx ctx, Tensor[] inputs);

    /// <summary>
    /// The gradient of each input (null for one that needs none, see <see cref="FunctionCtx.NeedsInputGrad"/>) from
    /// the gradient of the output; runs with grad mode on exactly under create_graph.
    /// </summary>
    protected abstract Tensor?[] Backward(FunctionCtx ctx, Tensor gradOutput);

    /// <summary>Runs the function on <paramref name="inputs"/> and records it in the graph, like <c>Function.apply</c>.</summary>
    public Tensor Apply(params Tensor[] inputs) =>
        FunctionBackward.Run(GetType().Name, inputs, ctx => [Forward(ctx, inputs)], (ctx, g) => Backward(ctx, g[0]!))[0];
}

/// <summary>
/// A custom differentiable operation with several outputs, like a <c>torch.autograd.Function</c> whose forward
/// returns a tuple; see <see cref="Function"/>. The backward gets one gradient per output: zeros for an output that
/// received none, or null when <see cref="FunctionCtx.MaterializeGrads"/> is false.
/// </summary>
public abstract class MultiOutputFunction
{
    /// <summary>Computes the outputs from <paramref name="inputs"/>; runs with grad mode off.</summary>
    protected abstract Tensor[] Forward(FunctionCtx ctx, Tensor[] inputs);

    /// <summary>The gradient of each input from the gradients of the outputs.</summary>
    protected abstract Tensor?[] Backward(FunctionCtx ctx, Tensor?[] gradOutputs);

    /// <summary>Runs the function and records it in the graph, like <c>Function.apply</c>.</summary>
    public Tensor[] Apply(params Tensor[] inputs) => FunctionBackward.Run(GetType().Name, inputs, ctx => Forward(ctx, inputs), Backward);
}
