using Descent.NN;
using Descent.Optim;
using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Examples;

/// <summary>The regression tutorial: data, network and training loop.</summary>
public static class Regression
{
    /// <summary>x: <paramref name="points"/> values on [-1, 1] as a column; y = x² + 0.2·U(0, 1) noise.</summary>
    public static (Tensor X, Tensor Y) Data(int points = 100)
    {
        var x = Tensor.Linspace(-1, 1, points).Unsqueeze(1);   // shape [100, 1]
        var y = x.Pow(2) + 0.2 * Tensor.Rand(x.Shape);          // noisy y, shape [100, 1]
        return (x, y);
    }

    /// <summary>The tutorial's Net: a hidden Linear layer with ReLU, then a linear output.</summary>
    public sealed class Net : Module
    {
        private readonly Linear hidden, predict;

        public Net(int nFeature, int nHidden, int nOutput)
        {
            hidden = RegisterModule("hidden", new Linear(nFeature, nHidden));
            predict = RegisterModule("predict", new Linear(nHidden, nOutput));
        }

        public override Tensor Forward(Tensor x)
        {
            x = F.Relu(hidden.Forward(x));   // activation for the hidden layer
            return predict.Forward(x);       // linear output: no activation cuts the prediction
        }
    }

    /// <summary>Trains <paramref name="net"/> on the whole data set with SGD and MSE; returns every step's loss.</summary>
    public static double[] Fit(Module net, Tensor x, Tensor y, int steps = 200, double lr = 0.2, Action<int, double>? onStep = null)
    {
        var optimizer = new SGD(net.Parameters(), lr: lr);
        var lossFunc = new MSELoss();
        var losses = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            var prediction = net.Forward(x);          // feed x, get the prediction
            var loss = lossFunc.Forward(prediction, y);

            optimizer.ZeroGrad();                     // clear the last step's gradients
            loss.Backward();                          // backpropagate
            optimizer.Step();                         // apply the update to the parameters

            losses[t] = loss.Item();
            onStep?.Invoke(t, losses[t]);
        }
        return losses;
    }
}
