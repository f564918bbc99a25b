// Fits y = x² + noise with a one-hidden-layer network, as the classic regression tutorial does.
using Descent;
using Descent.Examples;

Torch.ManualSeed(1);
var (x, y) = Regression.Data();
var net = new Regression.Net(nFeature: 1, nHidden: 10, nOutput: 1);
Console.WriteLine(net);

Regression.Fit(net, x, y, steps: 200, lr: 0.2, onStep: (t, loss) =>
{
    if (t % 5 == 0) Console.WriteLine($"step {t,3}  Loss={loss:F4}");
});
