using System.Text.Json;
using Descent.NN;
using Descent.Serialization;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// Recurrent layers and cells in whole-module files: a Sequential of RNN, LSTM, GRU, RNNCell, LSTMCell and GRUCell
/// saved by <c>torch.save(model)</c> in PyTorch 1.13 (tests/golden/gen_modules.py, Golden/checkpoints/modules/)
/// loads as Descent's modules with their attributes and gives PyTorch's outputs; Descent writes it back byte for
/// byte; an LSTM with projections (<c>proj_size</c>), which Descent lacks, is refused with a message that says so.
/// </summary>
[Collection("GlobalGenerator")]
public class RecurrentModuleFileTests
{
    private static string PathOf(string name) => Fixtures.Path_(Path.Combine("modules", name));

    private static JsonElement Json => Fixtures.Json(Path.Combine("modules", "recurrent.json"));

    [Fact]
    public void RecurrentModulesSavedWholeByPyTorchGivePyTorchsOutputs()
    {
        var net = Assert.IsType<Sequential>((Module)Torch.Load(PathOf("recurrent.pt")));
        Assert.Equal(Json.GetProperty("repr").GetString(), net.ToString());
        Assert.All(net.Modules(), m => Assert.False(m.Training)); // saved in eval mode
        Assert.Equal("relu", Assert.IsType<RNN>(net[1]).Nonlinearity);
        var gru = Assert.IsType<GRU>(net[3]);
        Assert.Equal((2, 0.3, true), (gru.NumLayers, gru.Dropout, gru.Bidirectional));
        Assert.Equal(DType.Float64, Assert.IsType<GRUCell>(net[6]).WeightIh.DType);
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));

        foreach (var c in Json.GetProperty("modules").EnumerateArray())
        {
            var m = net[c.GetProperty("index").GetInt32()];
            string what = c.GetProperty("repr").GetString()!;
            Assert.Equal(what, m.ToString());
            var x = GoldenJson.Tensor(c.GetProperty("input"));
            Tensor? h0 = c.TryGetProperty("h0", out var h0Json) ? GoldenJson.Tensor(h0Json) : null;
            switch (m)
            {
                case LSTM lstm:
                    var (y, (h, cn)) = lstm.Forward(x, null);
                    GoldenJson.AssertClose(c.GetProperty("output"), y, what: what);
                    GoldenJson.AssertClose(c.GetProperty("h_n"), h, what: what + " h_n");
                    GoldenJson.AssertClose(c.GetProperty("c_n"), cn, what: what + " c_n");
                    break;
                case RNN or GRU:
                    var (output, hn) = m is RNN rnn ? rnn.Forward(x, h0) : ((GRU)m).Forward(x, h0);
                    GoldenJson.AssertClose(c.GetProperty("output"), output, what: what);
                    GoldenJson.AssertClose(c.GetProperty("h_n"), hn, what: what + " h_n");
                    break;
                case LSTMCell cell:
                    var (h1, c1) = cell.Forward(x, (h0!, GoldenJson.Tensor(c.GetProperty("c0"))));
                    GoldenJson.AssertClose(c.GetProperty("h"), h1, what: what + " h");
                    GoldenJson.AssertClose(c.GetProperty("c"), c1, what: what + " c");
                    break;
                case RNNCell cell:
                    GoldenJson.AssertClose(c.GetProperty("h"), cell.Forward(x, h0), what: what);
                    break;
                case GRUCell cell:
                    GoldenJson.AssertClose(c.GetProperty("h"), cell.Forward(x, h0), what: what);
                    break;
                default:
                    Assert.Fail(what);
                    break;
            }
        }
    }

    [Fact]
    public void DescentWritesTheRecurrentModulesByteForByteAsTorchSave()
    {
        // Attributes in __init__'s order (RNN's nonlinearity before nn.Module's entries), _flat_weights as references
        // to the parameters, and each layer's parameter names pickled anew, as Python does.
        Module net = Torch.Load(PathOf("recurrent.pt"));
        Assert.Equal(File.ReadAllBytes(PathOf("recurrent.pt")), TorchFile.ToBytes(net, "recurrent"));
    }

    [Fact]
    public void DescentsRecurrentModulesRoundTrip()
    {
        Torch.ManualSeed(7);
        var net = new Sequential(new LSTM(2, 3, numLayers: 2, bias: false), new GRU(2, 3, batchFirst: true), new RNN(2, 3, nonlinearity: "relu", bidirectional: true),
            new RNNCell(2, 3, bias: false), new LSTMCell(2, 3), new GRUCell(2, 3));
        var back = Assert.IsType<Sequential>(TorchFile.Load(new MemoryStream(TorchFile.ToBytes(net))));
        Assert.Equal(net.ToString(), back.ToString());
        Assert.Equal(net.StateDict().Keys, back.StateDict().Keys);
        var x = Tensor.Randn(4, 2, 2);
        Assert.Equal(net[0].Forward(x).ToArray(), back[0].Forward(x).ToArray());
        Assert.Equal(net[1].Forward(x).ToArray(), back[1].Forward(x).ToArray());
        Assert.Equal(net[2].Forward(x).ToArray(), back[2].Forward(x).ToArray());
        var x1 = Tensor.Randn(4, 2);
        for (int i = 3; i < 6; i++) Assert.Equal(net[i].Forward(x1).ToArray(), back[i].Forward(x1).ToArray());
    }

    [Fact]
    public void AnLstmWithProjectionsIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Torch.Load(PathOf("lstm_proj.pt")));
        Assert.Contains("LSTM", e.Message, StringComparison.Ordinal);
        Assert.Contains("proj_size=3", e.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mode", "has mode 'GRU', not 'LSTM'")]
    [InlineData("hidden_size", "weight_ih_l0 has shape [12, 2], but its attributes say [16, 2]")]
    [InlineData("num_layers", "has 4 parameters, but its attributes say 4000000000")]
    [InlineData("_flat_weights_names", "_flat_weights_names is")]
    [InlineData("_flat_weights", "_flat_weights are not its parameters")]
    [InlineData("dtype", "not one floating-point dtype")]
    [InlineData("nonlinearity", "unknown nonlinearity 'sigmoid'")]
    public void InconsistentRecurrentStateIsRefused(string change, string message)
    {
        // A Descent layer's saved state with one thing changed, as a hand-made file could have it.
        Module m = change == "nonlinearity" ? new RNN(2, 3) : new LSTM(2, 3);
        var registration = ModuleClasses.For(m.GetType())!;
        var parameters = m.OwnParameters.ToList();
        if (change == "dtype") parameters[1] = (parameters[1].Name, parameters[1].Value!.To(DType.Float64));
        var attributes = registration.Save(m).Select(a => (a.Name, change switch
        {
            "mode" when a.Name == "mode" => "GRU",
            "hidden_size" when a.Name == "hidden_size" => 4L,
            "num_layers" when a.Name == "num_layers" => 1_000_000_000L,
            "_flat_weights_names" when a.Name == "_flat_weights_names" => new List<object?> { "weight_hh_l0", "weight_ih_l0", "bias_ih_l0", "bias_hh_l0" },
            "_flat_weights" when a.Name == "_flat_weights" => ((List<object?>)a.Value!).Select(w => (object?)((Tensor)w!).Clone()).ToList(),
            _ => a.Value,
        })).ToList();
        if (change == "nonlinearity") attributes.Insert(0, ("nonlinearity", "sigmoid"));
        var saved = new SavedModule(registration.PythonClass, false, parameters, [], [], [], attributes);
        var e = Assert.Throws<InvalidDataException>(() => registration.Load(saved));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRecurrentClassesAreOnTheAllowList()
    {
        foreach (var name in new[] { "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell" })
            Assert.Contains("torch.nn.modules.rnn." + name, ModuleClasses.Names);
    }
}
