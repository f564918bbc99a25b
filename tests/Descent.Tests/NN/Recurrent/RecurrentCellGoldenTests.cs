using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN.Recurrent;

/// <summary>
/// RNNCell (tanh, relu), LSTMCell and GRUCell against PyTorch (Golden/rnn.json "cells"): parameters loaded by
/// state_dict key, then the next state and the gradients of input, state and every parameter through sum(h·u) (+ sum(c·u_c)).
/// </summary>
public class RecurrentCellGoldenTests
{
    public static IEnumerable<object[]> Cells() =>
        RecurrentGoldenTests.Golden.GetProperty("cells").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Cells))]
    public void CellMatchesPyTorch(string name)
    {
        var c = RecurrentGoldenTests.Golden.GetProperty("cells").EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        bool bias = c.GetProperty("bias").GetBoolean();
        RNNCellBase m = c.GetProperty("mode").GetString() switch
        {
            "LSTM" => new LSTMCell(3, 4, bias),
            "GRU" => new GRUCell(3, 4, bias),
            "RNN_TANH" => new RNNCell(3, 4, bias),
            _ => new RNNCell(3, 4, bias, "relu"),
        };
        RecurrentGoldenTests.Load(m, c.GetProperty("params"));
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        Tensor? h0 = c.TryGetProperty("h0", out var hj) ? GoldenJson.Tensor(hj).RequiresGrad_() : null;
        Tensor? c0 = c.TryGetProperty("c0", out var cj) ? GoldenJson.Tensor(cj).RequiresGrad_() : null;
        Tensor h, loss;
        if (m is LSTMCell lstm)
        {
            (h, var cy) = lstm.Forward(x, h0 is null ? null : (h0, c0!));
            GoldenJson.AssertClose(c.GetProperty("c"), cy, what: name + " c");
            loss = h.Mul(Tensor.Linspace(0.5, 1.5, h.Numel).Reshape(h.Shape)).Sum().Add(cy.Mul(Tensor.Linspace(1, -0.5, cy.Numel).Reshape(cy.Shape)).Sum());
        }
        else
        {
            h = m is GRUCell gru ? gru.Forward(x, h0) : ((RNNCell)m).Forward(x, h0);
            loss = h.Mul(Tensor.Linspace(0.5, 1.5, h.Numel).Reshape(h.Shape)).Sum();
        }
        GoldenJson.AssertClose(c.GetProperty("h"), h, what: name + " h");
        loss.Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad input");
        if (h0 is not null) GoldenJson.AssertClose(c.GetProperty("grad_h0"), h0.Grad!, what: name + " grad h0");
        if (c0 is not null) GoldenJson.AssertClose(c.GetProperty("grad_c0"), c0.Grad!, what: name + " grad c0");
        var parameters = m.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var g in c.GetProperty("grad_params").EnumerateObject())
            GoldenJson.AssertClose(g.Value, parameters[g.Name].Grad!, what: $"{name} grad {g.Name}");
    }
}
