// The optimizer-in-backward pattern: each parameter's optimizer steps inside the backward pass, from a
// post-accumulate-grad hook, so a parameter's gradient is freed as soon as it is used.
using Descent;
using Descent.Examples;

Torch.ManualSeed(1);
var net = new OptimizerInBackward.Net();
Console.WriteLine(net);
OptimizerInBackward.Fit(net, steps: 60, onStep: (t, loss) =>
{
    if (t % 5 == 0) Console.WriteLine($"step {t,3}  Loss={loss:F6}");
});
foreach (var (name, p) in net.NamedParameters()) Console.WriteLine($"{name}: grad {(p.Grad is null ? "None" : "kept")}");
