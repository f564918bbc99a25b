// Learns cos(t) from sin(t) with a small RNN that reads one window of the curve per step, as the classic RNN
// regression tutorial does; the hidden state flows on from window to window.
using Descent;
using Descent.Examples;

Torch.ManualSeed(1);
var net = new RnnRegression.Net();
Console.WriteLine(net);

var losses = RnnRegression.Fit(net, steps: 100, lr: 0.02, onStep: (step, loss) =>
{
    if (step % 10 == 0) Console.WriteLine($"step {step,3}  loss {loss:F6}");
});
Console.WriteLine($"step {losses.Length - 1,3}  loss {losses[^1]:F6}");
