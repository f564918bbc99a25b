using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN.Recurrent;

/// <summary>
/// RNN (tanh, relu), LSTM and GRU against PyTorch (Golden/rnn.json from tests/golden/gen_rnn.py): parameters
/// loaded by state_dict key, then output, final states and the gradients of input, initial states and every
/// parameter through sum(output·u) + sum(h_n·u_h) (+ sum(c_n·u_c)), at |a − e| ≤ 1e-5·(1 + |e|).
/// </summary>
public class RecurrentGoldenTests
{
    internal static JsonElement Golden => GoldenJson.Load("rnn.json");

    public static IEnumerable<object[]> Layers() =>
        Golden.GetProperty("layers").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    private static JsonElement Case(string table, string name) =>
        Golden.GetProperty(table).EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    private static T Arg<T>(JsonElement kw, string key, T dflt, Func<JsonElement, T> get) => kw.TryGetProperty(key, out var v) ? get(v) : dflt;

    internal static RNNBase Make(string mode, JsonElement kw, int inputSize = 3, int hiddenSize = 4)
    {
        int layers = Arg(kw, "num_layers", 1, v => v.GetInt32());
        bool bias = Arg(kw, "bias", true, v => v.GetBoolean()), bf = Arg(kw, "batch_first", false, v => v.GetBoolean());
        bool bidir = Arg(kw, "bidirectional", false, v => v.GetBoolean());
        double dropout = Arg(kw, "dropout", 0.0, v => v.GetDouble());
        return mode switch
        {
            "LSTM" => new LSTM(inputSize, hiddenSize, layers, bias, bf, dropout, bidir),
            "GRU" => new GRU(inputSize, hiddenSize, layers, bias, bf, dropout, bidir),
            "RNN_TANH" => new RNN(inputSize, hiddenSize, layers, "tanh", bias, bf, dropout, bidir),
            "RNN_RELU" => new RNN(inputSize, hiddenSize, layers, "relu", bias, bf, dropout, bidir),
            _ => throw new ArgumentException(mode),
        };
    }

    internal static void Load(Module m, JsonElement parameters)
    {
        var state = parameters.EnumerateObject().ToDictionary(p => p.Name, p => GoldenJson.Tensor(p.Value));
        Assert.Equal(state.Keys, m.StateDict().Keys);
        m.LoadStateDict(state);
    }

    private static Tensor? Optional(JsonElement c, string key) => c.TryGetProperty(key, out var v) ? GoldenJson.Tensor(v).RequiresGrad_() : null;

    private static Tensor Upstream(Tensor t, double lo, double hi)
    {
        return Tensor.Linspace(lo, hi, t.Numel).Reshape(t.Shape);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void LayerMatchesPyTorch(string name)
    {
        var c = Case("layers", name);
        string mode = c.GetProperty("mode").GetString()!;
        var m = Make(mode, c.GetProperty("kwargs"));
        Load(m, c.GetProperty("params"));
        if (c.GetProperty("eval").GetBoolean()) m.Eval();
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        Tensor? h0 = Optional(c, "h0"), c0 = Optional(c, "c0");
        Tensor output, hn;
        Tensor? cn = null;
        if (m is LSTM lstm) (output, (hn, cn)) = lstm.Forward(x, h0 is null ? null : (h0, c0!));
        else (output, hn) = m is GRU gru ? gru.Forward(x, h0) : ((RNN)m).Forward(x, h0);
        GoldenJson.AssertClose(c.GetProperty("output"), output, what: name + " output");
        GoldenJson.AssertClose(c.GetProperty("h_n"), hn, what: name + " h_n");
        var loss = output.Mul(Upstream(output, 0.5, 1.5)).Sum().Add(hn.Mul(Upstream(hn, -1, 1)).Sum());
        if (cn is not null)
        {
            GoldenJson.AssertClose(c.GetProperty("c_n"), cn, what: name + " c_n");
            loss = loss.Add(cn.Mul(Upstream(cn, 1, -0.5)).Sum());
        }
        loss.Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad input");
        if (h0 is not null) GoldenJson.AssertClose(c.GetProperty("grad_h0"), h0.Grad!, what: name + " grad h0");
        if (c0 is not null) GoldenJson.AssertClose(c.GetProperty("grad_c0"), c0.Grad!, what: name + " grad c0");
        var parameters = m.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var g in c.GetProperty("grad_params").EnumerateObject())
            GoldenJson.AssertClose(g.Value, parameters[g.Name].Grad!, what: $"{name} grad {g.Name}");
    }
}
