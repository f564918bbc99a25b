using Descent.Tensors;

namespace Descent;

public static partial class Torch
{
    /// <summary>
    /// Differentiation entry points, like <c>torch.autograd</c>: <see cref="Grad"/> returns gradients instead of
    /// accumulating them, <see cref="Backward"/> accumulates the gradients of several tensors at once.
    /// </summary>
    public static class Autograd
    {
        /// <summary>
        /// The sum of the gradients of <paramref name="outputs"/> with respect to each of <paramref name="inputs"/>,
        /// like <c>torch.autograd.grad</c>; nothing is accumulated into any <see cref="Tensor.Grad"/>.
        /// </summary>
        /// <param name="outputs">The differentiated tensors.</param>
        /// <param name="inputs">The tensors to differentiate with respect to (each must require grad).</param>
        /// <param name="gradOutputs">
        /// The vector of the vector-Jacobian product, one per output; null (or a null entry) means ones for a scalar
        /// output.
        /// </param>
        /// <param name="retainGraph">Keep the graph for another pass; defaults to <paramref name="createGraph"/>.</param>
        /// <param name="createGraph">Record the gradients' own computation, for higher-order derivatives.</param>
        /// <param name="allowUnused">
        /// Return null for an input the outputs do not depend on, instead of throwing; defaults to
        /// <paramref name="materializeGrads"/>.
        /// </param>
        /// <param name="materializeGrads">Return zeros instead of null for such inputs (current PyTorch's option).</param>
        /// <returns>One gradient per input, in order; null only for unused inputs with <paramref name="allowUnused"/>.</returns>
        /// <exception cref="InvalidOperationException">PyTorch's messages, e.g. for an unused input without <paramref name="allowUnused"/>.</exception>
        public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? gradOutputs = null,
            bool? retainGraph = null, bool createGraph = false, bool? allowUnused = null, bool materializeGrads = false) =>
            Descent.Autograd.GradCalls.Grad(outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused, materializeGrads);

        /// <summary>
        /// Accumulates the gradients of <paramref name="tensors"/> (each seeded with its entry of
        /// <paramref name="gradTensors"/>, or one for a scalar) into the leaves' <see cref="Tensor.Grad"/>, like
        /// <c>torch.autograd.backward</c>; see <see cref="Tensor.Backward"/> for the other arguments.
        /// </summary>
        public static void Backward(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor?>? gradTensors = null, bool? retainGraph = null,
            bool createGraph = false, IReadOnlyList<Tensor>? inputs = null) =>
            Descent.Autograd.GradCalls.Backward(tensors, gradTensors, retainGraph, createGraph, inputs);
    }
}
