using Descent.Autograd;
using Descent.Tensors;

namespace Descent.NN;

public abstract partial class Module
{
    /// <summary>
    /// One call's full backward hooks, as PyTorch's <c>torch.utils.hooks.BackwardHook</c>: the input and the
    /// output are wrapped in identity nodes; the output's records the output gradient (after the pre-hooks), the
    /// input's hands both to the hooks, which may replace the input gradient.
    /// </summary>
    private sealed class BackwardHookCall(Module module, Hook<Func<Module, Tensor?[], Tensor?[], Tensor?[]?>>[] hooks,
        Hook<Func<Module, Tensor?[], Tensor?[]?>>[] preHooks)
    {
        private Tensor?[]? gradOutputs;
        private bool inputWrapped;

        public Tensor SetupInput(Tensor x)
        {
            if (!(x.RequiresGrad && GradMode.IsEnabled)) return x;
            inputWrapped = true;
            return BackwardHookFunctionBackward.Wrap(x, OnInputGrad);
        }

        public Tensor SetupOutput(Tensor y) =>
            y.RequiresGrad && GradMode.IsEnabled ? BackwardHookFunctionBackward.Wrap(y, OnOutputGrad) : y;

        private Tensor? OnOutputGrad(Tensor g)
        {
            gradOutputs = [g];
            foreach (var pre in preHooks)
            {
                if (pre.Fn(module, gradOutputs) is not { } replaced) continue;
                if (replaced.Length != gradOutputs.Length)
                    throw new InvalidOperationException(
                        $"Backward pre hook returned an invalid number of grad_output, got {replaced.Length}, but expected {gradOutputs.Length}");
                gradOutputs = replaced;
            }
            var local = gradOutputs;
            if (!inputWrapped)
            {
                // No input requires grad: nothing will reach the input's node, so the hooks run now.
                var gradInputs = new Tensor?[1];
                foreach (var hook in hooks)
                {
                    var r = hook.Fn(module, gradInputs, gradOutputs);
                    if (r is not null && Array.Exists(r, t => t is not null))
                        throw new InvalidOperationException(
                            "Backward hook for Modules where no input requires gradient should always return None or None for all gradients.");
                }
                gradOutputs = null;
            }
            return local[0];
        }

        private Tensor? OnInputGrad(Tensor g)
        {
            // A gradient that did not come through the output (a double backward): not the module's backward.
            if (gradOutputs is null) return g;
            Tensor?[] result = [g];
            foreach (var hook in hooks)
            {
                if (hook.Fn(module, result, gradOutputs) is not { } replaced) continue;
                if (replaced.Length != result.Length)
                    throw new InvalidOperationException(
                        $"Backward hook returned an invalid number of grad_input, got {replaced.Length}, but expected {result.Length}");
                result = replaced;
            }
            gradOutputs = null;
            return result[0];
        }
    }
}
