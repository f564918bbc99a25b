// The README's training loop against the Descent package, checked: the loss must fall, and a saved state dict must
// load back into a fresh network with the same predictions. Prints one line and exits 0 when all holds.
using Descent;
using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

Torch.ManualSeed(1);
var x = Tensor.Linspace(-1, 1, 1000).Unsqueeze(1);
var y = x.Pow(2) + 0.1 * Tensor.Normal(Tensor.Zeros(x.Shape));
var loader = new DataLoader(new TensorDataset(x, y), batchSize: 32, shuffle: true);
var net = new Sequential(new Linear(1, 20), new ReLU(), new Linear(20, 1));
var opt = new Adam(net.Parameters(), lr: 0.01, betas: (0.9, 0.99));
var lossFn = new MSELoss();

double first = double.NaN, last = double.NaN;
for (int epoch = 0; epoch < 12; epoch++)
    foreach (var batch in loader)
    {
        var loss = lossFn.Forward(net.Forward(batch[0]), batch[1]);
        opt.ZeroGrad();
        loss.Backward();
        opt.Step();
        last = loss.Item();
        if (double.IsNaN(first)) first = last;
    }

string path = Path.Combine(Path.GetTempPath(), $"descent-smoke-{Environment.ProcessId}.pt");
Torch.Save(net.StateDict(), path);
var copy = new Sequential(new Linear(1, 20), new ReLU(), new Linear(20, 1));
copy.LoadStateDict(Torch.Load(path));
File.Delete(path);
bool same = net.Forward(x).Sub(copy.Forward(x)).Abs().Max().Item() == 0;

if (!(last < first / 5) || !same)
{
    Console.Error.WriteLine($"package smoke test failed: loss {first} -> {last}, reloaded network {(same ? "agrees" : "differs")}");
    return 1;
}
Console.WriteLine($"Descent {typeof(Torch).Assembly.GetName().Version} from the package: loss {first:F4} -> {last:F4}, state dict round trip exact");
return 0;
