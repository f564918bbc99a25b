using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>
/// LeNet-5 (conv 1→6 5×5, max-pool 2, conv 6→16 5×5, max-pool 2, flatten, 120-84-10 with ReLU) with PyTorch's
/// state dict for seed 0 gives PyTorch's logits, loss and parameter gradients on the same batch (Golden/layers.json).
/// </summary>
public class LeNetTests
{
    private sealed class LeNet : Module
    {
        private readonly Conv2d conv1, conv2;
        private readonly MaxPool2d pool1, pool2;
        private readonly Flatten flatten;
        private readonly Linear fc1, fc2, fc3;

        public LeNet()
        {
            conv1 = RegisterModule("conv1", new Conv2d(1, 6, 5));
            pool1 = RegisterModule("pool1", new MaxPool2d(2));
            conv2 = RegisterModule("conv2", new Conv2d(6, 16, 5));
            pool2 = RegisterModule("pool2", new MaxPool2d(2));
            flatten = RegisterModule("flatten", new Flatten());
            fc1 = RegisterModule("fc1", new Linear(16 * 4 * 4, 120));
            fc2 = RegisterModule("fc2", new Linear(120, 84));
            fc3 = RegisterModule("fc3", new Linear(84, 10));
        }

        public override Tensor Forward(Tensor input)
        {
            var x = pool1.Forward(F.Relu(conv1.Forward(input)));
            x = pool2.Forward(F.Relu(conv2.Forward(x)));
            x = flatten.Forward(x);
            return fc3.Forward(F.Relu(fc2.Forward(F.Relu(fc1.Forward(x)))));
        }
    }

    [Fact]
    public void PyTorchStateDictGivesPyTorchsOutputsAndGradients()
    {
        var g = LayerGoldenTests.Golden.GetProperty("lenet");
        var net = new LeNet();
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
        var net = new LeNet();
        foreach (var (name, t) in net.StateDict())
            GoldenJson.AssertClose(g.GetProperty("state_dict").GetProperty(name), t, tol: 0, what: name);
    }
}
