using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>
/// LeNet-5 (conv 1→6 5×5, max-pool 2, conv 6→16 5×5, max-pool 2, flatten, 120-84-10 with ReLU), the benchmark's own
/// network (<c>descent train --model cnn</c>), with PyTorch's state dict for seed 0 gives PyTorch's logits, loss and
/// parameter gradients on the same batch (Golden/layers.json).
/// </summary>
public class LeNetTests
{
    [Fact]
    public void PyTorchStateDictGivesPyTorchsOutputsAndGradients()
    {
        var g = LayerGoldenTests.Golden.GetProperty("lenet");
        var net = new FashionMnistModels.LeNet5();
        var state = new Dictionary<string, Tensor>();
        foreach (var p in g.GetProperty("state_dict").EnumerateObject()) state[p.Name] = GoldenJson.Tensor(p.Value);
        Assert.Equal(state.Keys.Order(), net.StateDict().Keys.Order());
        net.LoadStateDict(state);

        var logits = net.Forward(GoldenJson.Tensor(g.GetProperty("images")));
        GoldenJson.AssertClose(g.GetProperty("logits"), logits, what: "logits");
        var loss = F.CrossEntropy(logits, GoldenJson.Tensor(g.GetProperty("labels")));
        GoldenJson.AssertClose([g.GetProperty("loss").GetDouble()], [loss.Item()], what: "loss");
        loss.Backward();
        foreach (var (name, p) in net.NamedParameters())
            GoldenJson.AssertClose(g.GetProperty("grads").GetProperty(name), p.Grad!, what: name + " grad");
    }

    [Fact]
    public void SameSeedGivesPyTorchsInitialParameters()
    {
        var g = LayerGoldenTests.Golden.GetProperty("lenet");
        Torch.ManualSeed(0);
        var net = new FashionMnistModels.LeNet5();
        foreach (var (name, t) in net.StateDict())
            GoldenJson.AssertClose(g.GetProperty("state_dict").GetProperty(name), t, tol: 0, what: name);
    }
}
