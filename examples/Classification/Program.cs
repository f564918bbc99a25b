// Separates two Gaussian clusters with a 2-10-2 network and cross-entropy, as the classification tutorial does.
using Descent;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;
using F = Descent.NN.Functional;

Torch.ManualSeed(1);

// Two clusters of 100 points around (2, 2) and (-2, -2), labelled 0 and 1.
var nData = Tensor.Ones(100, 2);
var x0 = Tensor.Normal(2 * nData, 1);          // class 0 x, shape [100, 2]
var y0 = Tensor.Zeros(100);                    // class 0 y, shape [100]
var x1 = Tensor.Normal(-2 * nData, 1);         // class 1 x, shape [100, 2]
var y1 = Tensor.Ones(100);                     // class 1 y, shape [100]
var x = Tensor.Cat([x0, x1], 0);               // float32 inputs [200, 2]
var y = Tensor.Cat([y0, y1], 0).Long();        // int64 class indices [200]

var net = new Net(nFeature: 2, nHidden: 10, nOutput: 2);   // one output per class
Console.WriteLine(net);

var optimizer = new SGD(net.Parameters(), lr: 0.02);
// The target is a class index per sample, not one-hot; the output is [batch, classes] of raw scores.
var lossFunc = new CrossEntropyLoss();

for (int t = 0; t < 100; t++)
{
    var output = net.Forward(x);
    var loss = lossFunc.Forward(output, y);

    optimizer.ZeroGrad();
    loss.Backward();
    optimizer.Step();

    if (t % 2 == 0)
    {
        // The class with the largest softmax probability is the prediction.
        var prediction = F.Softmax(output, dim: 1).Argmax(1);
        double accuracy = prediction.Eq(y).Float().Sum().Item() / 200;
        Console.WriteLine($"step {t,3}  loss {loss.Item():F4}  Accuracy={accuracy:F2}");
    }
}

sealed class Net : Module
{
    private readonly Linear hidden, predict;

    public Net(int nFeature, int nHidden, int nOutput)
    {
        hidden = RegisterModule("hidden", new Linear(nFeature, nHidden));
        predict = RegisterModule("predict", new Linear(nHidden, nOutput));
    }

    public override Tensor Forward(Tensor x) => predict.Forward(F.Relu(hidden.Forward(x)));
}
