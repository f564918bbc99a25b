using Descent.Tensors;

namespace Descent.NN;

/// <summary>One Elman step, like <c>nn.RNNCell</c>: h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh), or ReLU with <c>nonlinearity: "relu"</c>.</summary>
public sealed class RNNCell : RNNCellBase
{
    /// <summary>Creates the cell and initialises it from the default generator (PyTorch checks the nonlinearity only in forward).</summary>
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh") : base(inputSize, hiddenSize, bias, 1, null) =>
        Nonlinearity = nonlinearity ?? throw new ArgumentNullException(nameof(nonlinearity));

    /// <summary>A cell over existing parameters (w_ih, w_hh, b_ih, b_hh), used as they are.</summary>
    internal RNNCell(int inputSize, int hiddenSize, IReadOnlyList<Tensor> weights, bool bias = true, string nonlinearity = "tanh")
        : base(inputSize, hiddenSize, bias, 1, weights) => Nonlinearity = nonlinearity;

    /// <summary>"tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    /// <summary>The next hidden state from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>The next h [batch, hidden] from input [batch, input] and state <paramref name="hx"/> (zeros when null); unbatched [input] gives [hidden].</summary>
    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var x = Batch(input, "RNNCell");
        bool batched = input.Dim == 2;
        var h0 = State(x, hx, batched, 0);
        if (Nonlinearity is not ("tanh" or "relu")) throw new ArgumentException($"Unknown nonlinearity: {Nonlinearity}");
        var h = RecurrentSteps.Rnn(InputProjection(x), h0, WeightHh, BiasHh, Nonlinearity == "relu");
        return batched ? h : h.Squeeze(0);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => Nonlinearity == "tanh" ? base.ExtraRepr() : base.ExtraRepr() + $", nonlinearity={Nonlinearity}";
}
