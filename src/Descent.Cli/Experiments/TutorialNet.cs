using Descent.NN;
using Descent.Tensors;

namespace Descent.Cli.Experiments;

/// <summary>The tutorial's network: Linear(1, 20) → ReLU → Linear(20, 1).</summary>
public sealed class TutorialNet : Module
{
    private readonly Linear hidden, predict;

    /// <summary>Creates the layers in PyTorch's order, so the same seed gives the same weights.</summary>
    public TutorialNet(int inputs = 1, int hiddenUnits = 20, int outputs = 1)
    {
        hidden = RegisterModule("hidden", new Linear(inputs, hiddenUnits));
        predict = RegisterModule("predict", new Linear(hiddenUnits, outputs));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => predict.Forward(Functional.Relu(hidden.Forward(x)));
}
