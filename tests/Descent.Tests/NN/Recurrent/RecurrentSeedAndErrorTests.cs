using System.Text.Json;
using Descent.Diagnostics;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN.Recurrent;

/// <summary>
/// torch.manual_seed(0) then a recurrent layer or cell gives PyTorch's parameters, in its state_dict order; bad
/// arguments and shapes give PyTorch's messages and warning (Golden/rnn.json "seeded" and "errors").
/// </summary>
[Collection("GlobalGenerator")]
public class RecurrentSeedAndErrorTests
{
    public static IEnumerable<object[]> Seeded() =>
        RecurrentGoldenTests.Golden.GetProperty("seeded").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static IEnumerable<object[]> Errors() =>
        RecurrentGoldenTests.Golden.GetProperty("errors").EnumerateArray().Select((e, i) => new object[] { i, e.GetProperty("op").GetString()! });

    private static Module Construct(string name) => name switch
    {
        "LSTM(3, 4, 2)" => new LSTM(3, 4, 2),
        "GRU(2, 3, bidirectional)" => new GRU(2, 3, bidirectional: true),
        "RNN(2, 5, relu, no bias)" => new RNN(2, 5, nonlinearity: "relu", bias: false),
        "LSTMCell(3, 2)" => new LSTMCell(3, 2),
        "GRUCell(2, 3)" => new GRUCell(2, 3),
        "RNNCell(2, 2)" => new RNNCell(2, 2),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Seeded))]
    public void SeedGivesPyTorchsParameters(string name)
    {
        var c = RecurrentGoldenTests.Golden.GetProperty("seeded").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        Torch.ManualSeed(0);
        var m = Construct(name);
        var state = m.StateDict();
        var expected = c.GetProperty("params").EnumerateArray().ToList();
        Assert.Equal(expected.Select(p => p[0].GetString()), state.Keys);
        foreach (var p in expected) GoldenJson.AssertClose(p[1], state[p[0].GetString()!], tol: 0, what: name + " " + p[0].GetString());
    }

    private static Tensor Randn(JsonElement a, string key) => Tensor.Randn(GoldenJson.Ints(a.GetProperty(key)));

    private static void Run(string op, JsonElement a)
    {
        double dropout = a.TryGetProperty("dropout", out var d) ? d.GetDouble() : 0;
        bool bf = a.TryGetProperty("batch_first", out var b) && b.GetBoolean();
        string nonlinearity = a.TryGetProperty("nonlinearity", out var n) ? n.GetString()! : "tanh";
        Tensor? input = a.TryGetProperty("input", out _) ? Randn(a, "input") : null;
        Tensor? h0 = a.TryGetProperty("h0", out _) ? Randn(a, "h0") : null;
        switch (op)
        {
            case "LSTM":
                var lstm = new LSTM(3, 4, batchFirst: bf, dropout: dropout);
                if (input is not null) lstm.Forward(input, h0 is null ? null : (h0, Randn(a, "c0")));
                break;
            case "GRU":
                var gru = new GRU(3, 4, batchFirst: bf, dropout: dropout);
                if (input is not null) gru.Forward(input, h0);
                break;
            case "RNN":
                var rnn = new RNN(3, 4, nonlinearity: nonlinearity, batchFirst: bf, dropout: dropout);
                if (input is not null) rnn.Forward(input, h0);
                break;
            case "RNNCell":
                new RNNCell(3, 4, nonlinearity: nonlinearity).Forward(input!, h0);
                break;
            case "GRUCell":
                new GRUCell(3, 4).Forward(input!, h0);
                break;
            case "LSTMCell":
                new LSTMCell(3, 4).Forward(input!, h0 is null ? null : (h0, Randn(a, "c0")));
                break;
            default:
                throw new InvalidOperationException(op);
        }
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void BadArgumentsGivePyTorchsMessage(int index, string op)
    {
        var e = RecurrentGoldenTests.Golden.GetProperty("errors")[index];
        string expected = e.GetProperty("message").GetString()!;
        if (e.GetProperty("kind").GetString() == "warning")
        {
            using var capture = Warnings.Capture();
            Run(op, e.GetProperty("args"));
            Assert.Equal([expected], capture.Messages);
        }
        else
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => Run(op, e.GetProperty("args")));
            Assert.Equal(expected, ex.Message);
        }
    }
}
