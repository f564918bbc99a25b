using Descent.NN;
using Descent.Optim;
using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Examples;

/// <summary>
/// PyTorch's "optimizer in backward" tutorial pattern: one optimizer per parameter, stepped in the parameter's
/// post-accumulate-grad hook, so each parameter is updated (and its gradient dropped) as soon as its gradient is
/// ready, during the backward pass; no separate <c>Step</c> or <c>ZeroGrad</c> in the loop.
/// </summary>
public static class OptimizerInBackward
{
    /// <summary>The regression tutorial's net: Linear(1, 20), ReLU, Linear(20, 1).</summary>
    public sealed class Net : Module
    {
        private readonly Linear hidden, predict;

        public Net()
        {
            hidden = RegisterModule("hidden", new Linear(1, 20));
            predict = RegisterModule("predict", new Linear(20, 1));
        }

        public override Tensor Forward(Tensor x) => predict.Call(F.Relu(hidden.Call(x)));
    }

    /// <summary>Fits <paramref name="net"/> to y = x² on 100 points with Adam(lr) per parameter; returns every step's loss.</summary>
    public static double[] Fit(Module net, int steps, double lr = 0.02, Action<int, double>? onStep = null)
    {
        var x = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);   // shape [100, 1]
        var y = x.Pow(2);

        // One optimizer per parameter, each stepped by its parameter's hook.
        var optimizers = new Dictionary<Tensor, Adam>(ReferenceEqualityComparer.Instance);
        foreach (var p in net.Parameters())
        {
            optimizers[p] = new Adam([p], lr: lr);
            p.RegisterPostAccumulateGradHook(parameter =>
            {
                optimizers[parameter].Step();
                optimizers[parameter].ZeroGrad();
            });
        }

        var losses = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            var loss = F.MseLoss(net.Call(x), y);
            loss.Backward();   // updates every parameter on the way
            losses[t] = loss.Item();
            onStep?.Invoke(t, losses[t]);
        }
        return losses;
    }
}
