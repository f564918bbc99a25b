using System.Text.Json;
using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN.Recurrent;

/// <summary>
/// Sequence classifiers over 28×28 images (28 steps of 28 features) with PyTorch's state dicts for seed 0 give
/// PyTorch's logits, loss and parameter gradients on the same batch (Golden/rnn_classifier.json): an LSTM(28, 64)
/// read at its last step, and a 2-layer bidirectional GRU(28, 16) read from both directions' final states.
/// </summary>
[Collection("GlobalGenerator")]
public class RecurrentClassifierTests
{
    internal static JsonElement Golden => GoldenJson.Load("rnn_classifier.json");

    /// <summary>rnn = GRU(28, 16, 2 layers, batch_first, bidirectional), out = Linear(32, 10); out(cat(h_n[-2], h_n[-1])).</summary>
    private sealed class BiGruClassifier : Module
    {
        private readonly GRU rnn;
        private readonly Linear output;

        public BiGruClassifier()
        {
            rnn = RegisterModule("rnn", new GRU(28, 16, numLayers: 2, batchFirst: true, dropout: 0, bidirectional: true));
            output = RegisterModule("out", new Linear(32, 10));
        }

        public override Tensor Forward(Tensor input)
        {
            var h = rnn.Forward(input, null).H;
            return output.Forward(Tensor.Cat([h.Select(0, -2), h.Select(0, -1)], 1));
        }
    }

    private static Module Make(string name) => name switch
    {
        // The benchmark's own network (descent train --model lstm): rnn = LSTM(28, 64, batch_first), out = Linear(64, 10) on the last step.
        "lstm" => new FashionMnistModels.LstmClassifier(),
        "bigru" => new BiGruClassifier(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("lstm")]
    [InlineData("bigru")]
    public void PyTorchStateDictGivesPyTorchsOutputsAndGradients(string name)
    {
        var g = Golden.GetProperty(name);
        var net = Make(name);
        net.Eval();
        Assert.Equal(g.GetProperty("repr").GetString(), net.ToString());
        var state = new Dictionary<string, Tensor>();
        foreach (var p in g.GetProperty("state_dict").EnumerateObject()) state[p.Name] = GoldenJson.Tensor(p.Value);
        // The same keys in the same order, _reverse ones included.
        Assert.Equal(state.Keys, net.StateDict().Keys);
        Assert.Equal("<All keys matched successfully>", net.LoadStateDict(state).ToString());

        var logits = net.Forward(GoldenJson.Tensor(Golden.GetProperty("images")));
        GoldenJson.AssertClose(g.GetProperty("logits"), logits, what: name + " logits");
        var loss = F.CrossEntropy(logits, GoldenJson.Tensor(Golden.GetProperty("labels")));
        GoldenJson.AssertClose([g.GetProperty("loss").GetDouble()], [loss.Item()], what: name + " loss");
        loss.Backward();
        var grads = g.GetProperty("grads");
        Assert.Equal(grads.EnumerateObject().Select(p => p.Name), net.NamedParameters().Select(p => p.Name));
        foreach (var (key, p) in net.NamedParameters())
            GoldenJson.AssertClose(grads.GetProperty(key), p.Grad!, what: $"{name} {key} grad");
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("bigru")]
    public void SameSeedGivesPyTorchsInitialParameters(string name)
    {
        var g = Golden.GetProperty(name).GetProperty("state_dict");
        Torch.ManualSeed(0);
        var net = Make(name);
        foreach (var (key, t) in net.StateDict())
            GoldenJson.AssertClose(g.GetProperty(key), t, tol: 0, what: $"{name} {key}");
    }
}
