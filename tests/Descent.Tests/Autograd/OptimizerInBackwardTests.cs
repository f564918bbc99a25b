using Descent.Optim;
using Descent.Tensors;
using Descent.Tests.NN;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.Autograd;

/// <summary>
/// PyTorch's "optimizer in backward" pattern: one optimizer per parameter, stepped in the parameter's
/// post-accumulate-grad hook, so each update runs as soon as its gradient is ready. Each parameter's gradient is
/// final when its hook runs and no later node reads the parameter, so the result is the usual loop's, bit for bit.
/// </summary>
[Collection("GlobalGenerator")]
public class OptimizerInBackwardTests
{
    private static (Net Net, Tensor X, Tensor Y) Setup()
    {
        Torch.ManualSeed(3);
        var net = new Net(1, 8, 1);
        var x = Tensor.Linspace(-1, 1, 16).Unsqueeze(1);
        return (net, x, x.Pow(2).Add(0.1));
    }

    [Fact]
    public void StepsInHooksMatchTheUsualLoop()
    {
        var (usual, x, y) = Setup();
        var adam = new Adam(usual.Parameters(), lr: 0.01);
        for (int t = 0; t < 25; t++)
        {
            adam.ZeroGrad();
            F.MseLoss(usual.Call(x), y).Backward();
            adam.Step();
        }

        var (inBackward, _, _) = Setup();
        var perParameter = new Dictionary<Tensor, Adam>(ReferenceEqualityComparer.Instance);
        foreach (var p in inBackward.Parameters()) perParameter[p] = new Adam([p], lr: 0.01);
        int steps = 0;
        foreach (var p in inBackward.Parameters())
            p.RegisterPostAccumulateGradHook(q =>
            {
                perParameter[q].Step();
                perParameter[q].ZeroGrad();
                steps++;
            });
        for (int t = 0; t < 25; t++) F.MseLoss(inBackward.Call(x), y).Backward();

        Assert.Equal(25 * 4, steps);
        foreach (var ((name, a), (_, b)) in usual.NamedParameters().Zip(inBackward.NamedParameters()))
        {
            Assert.Equal(a.ToArray(), b.ToArray());
            Assert.Null(inBackward.NamedParameters().First(n => n.Name == name).Parameter.Grad);
        }
    }
}
