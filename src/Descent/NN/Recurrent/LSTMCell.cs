using Descent.Tensors;

namespace Descent.NN;

/// <summary>One LSTM step, like <c>nn.LSTMCell</c>: gates i, f, g, o; c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c').</summary>
public sealed class LSTMCell : RNNCellBase
{
    /// <summary>Creates the cell and initialises it from the default generator.</summary>
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true) : base(inputSize, hiddenSize, bias, 4, null)
    {
    }

    /// <summary>A cell over existing parameters (w_ih, w_hh, b_ih, b_hh), used as they are.</summary>
    internal LSTMCell(int inputSize, int hiddenSize, IReadOnlyList<Tensor> weights, bool bias = true) : base(inputSize, hiddenSize, bias, 4, weights)
    {
    }

    /// <summary>The next hidden state from zero states.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    /// <summary>
    /// The next (h, c) [batch, hidden] from input [batch, input] and states <paramref name="hx"/> (zeros when null);
    /// unbatched [input] takes and gives [hidden].
    /// </summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? hx)
    {
        var x = Batch(input, "LSTMCell");
        bool batched = input.Dim == 2;
        var h = State(x, hx?.H, batched, 0);
        var c = State(x, hx?.C, batched, 0); // PyTorch 1.13 names c "hidden0" too
        var (hy, cy) = RecurrentSteps.Lstm(InputProjection(x), h, c, WeightHh, BiasHh);
        return batched ? (hy, cy) : (hy.Squeeze(0), cy.Squeeze(0));
    }
}
