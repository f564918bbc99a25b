using Descent.Tensors;

namespace Descent.NN;

/// <summary>One GRU step, like <c>nn.GRUCell</c>: gates r, z, n; n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h.</summary>
public sealed class GRUCell : RNNCellBase
{
    /// <summary>Creates the cell and initialises it from the default generator.</summary>
    public GRUCell(int inputSize, int hiddenSize, bool bias = true) : base(inputSize, hiddenSize, bias, 3, null)
    {
    }

    /// <summary>A cell over existing parameters (w_ih, w_hh, b_ih, b_hh), used as they are.</summary>
    internal GRUCell(int inputSize, int hiddenSize, IReadOnlyList<Tensor> weights, bool bias = true) : base(inputSize, hiddenSize, bias, 3, weights)
    {
    }

    /// <summary>The next hidden state from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>The next h [batch, hidden] from input [batch, input] and state <paramref name="hx"/> (zeros when null); unbatched [input] gives [hidden].</summary>
    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var x = Batch(input, "GRUCell");
        bool batched = input.Dim == 2;
        var h = RecurrentSteps.Gru(InputProjection(x), State(x, hx, batched, 0), WeightHh, BiasHh);
        return batched ? h : h.Squeeze(0);
    }
}
