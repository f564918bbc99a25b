// The classic optimizer comparison: SGD, Momentum, RMSprop and Adam each train the same 1-20-1 network on
// y = x² + noise, batch by batch, and we compare their losses.
using Descent;
using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;
using F = Descent.NN.Functional;

Torch.ManualSeed(1);    // reproducible

const double LR = 0.01;
const int BatchSize = 32;
const int Epoch = 12;

// fake dataset
var x = Tensor.Linspace(-1, 1, 1000).Unsqueeze(1);
var y = x.Pow(2) + 0.1 * Tensor.Normal(Tensor.Zeros(x.Shape));

// the data loader from the batching tutorial
var torchDataset = new TensorDataset(x, y);
var loader = new DataLoader(torchDataset, batchSize: BatchSize, shuffle: true);

// one network per optimizer
var netSGD = new Net();
var netMomentum = new Net();
var netRMSprop = new Net();
var netAdam = new Net();
Net[] nets = [netSGD, netMomentum, netRMSprop, netAdam];

// different optimizers
var optSGD = new SGD(netSGD.Parameters(), lr: LR);
var optMomentum = new SGD(netMomentum.Parameters(), lr: LR, momentum: 0.8);
var optRMSprop = new RMSprop(netRMSprop.Parameters(), lr: LR, alpha: 0.9);
var optAdam = new Adam(netAdam.Parameters(), lr: LR, betas: (0.9, 0.99));
Optimizer[] optimizers = [optSGD, optMomentum, optRMSprop, optAdam];

var lossFunc = new MSELoss();
List<double>[] lossesHis = [[], [], [], []];   // every step's loss, per network

for (int epoch = 0; epoch < Epoch; epoch++)
{
    Console.WriteLine($"Epoch: {epoch}");
    foreach (var (bX, bY) in loader)
    {
        // each optimizer trains its own network on the same batch
        for (int i = 0; i < nets.Length; i++)
        {
            var output = nets[i].Forward(bX);          // get output for every net
            var loss = lossFunc.Forward(output, bY);   // compute loss for every net
            optimizers[i].ZeroGrad();                  // clear gradients for next train
            loss.Backward();                           // backpropagation, compute gradients
            optimizers[i].Step();                      // apply gradients
            lossesHis[i].Add(loss.Item());             // loss recorder
        }
    }
}

// Where the tutorial plots the curves, print each optimizer's mean loss over the last epoch.
string[] labels = ["SGD", "Momentum", "RMSprop", "Adam"];
for (int i = 0; i < labels.Length; i++)
    Console.WriteLine($"{labels[i],-9} last-epoch mean loss {lossesHis[i].TakeLast(loader.Count).Average():F4}");

// the default network
sealed class Net : Module
{
    private readonly Linear hidden = new(1, 20);    // hidden layer
    private readonly Linear predict = new(20, 1);   // output layer

    public Net()
    {
        RegisterModule("hidden", hidden);
        RegisterModule("predict", predict);
    }

    public override Tensor Forward(Tensor x)
    {
        x = F.Relu(hidden.Forward(x));   // activation function for hidden layer
        return predict.Forward(x);       // linear output
    }
}
