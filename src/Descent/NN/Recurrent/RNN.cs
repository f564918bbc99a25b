using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// A multi-layer Elman network, like <c>nn.RNN</c>: h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh), or ReLU with
/// <c>nonlinearity: "relu"</c>. Input [seq, batch, inputSize] ([batch, seq, inputSize] with <c>batchFirst</c>) or
/// unbatched [seq, inputSize].
/// </summary>
public sealed class RNN : RNNBase
{
    /// <summary>Creates the network and initialises it from the default generator; PyTorch's checks and warning.</summary>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false)
        : base(Gates(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, null) => Nonlinearity = nonlinearity;

    /// <summary>A network over existing parameters in PyTorch's order, used as they are; no random numbers are drawn.</summary>
    internal RNN(int inputSize, int hiddenSize, IReadOnlyList<Tensor> weights, int numLayers = 1, string nonlinearity = "tanh", bool bias = true,
        bool batchFirst = false, double dropout = 0, bool bidirectional = false)
        : base(Gates(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, weights) => Nonlinearity = nonlinearity;

    /// <summary>"tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    /// <summary>The output [seq, batch, dirs·hidden] from a zero initial state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Output [seq, batch, dirs·hidden] and the final state h_n [layers·dirs, batch, hidden], from the initial state
    /// <paramref name="hx"/> of that shape, zeros when null; unbatched input takes and gives states without the batch dimension.
    /// </summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? hx)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor? cx = null;
        var (x, batched) = Batch(input, ref hx, ref cx, lstm: false);
        bool relu = Nonlinearity == "relu";
        var (output, h, _) = Run(x, hx, null, lstm: false, (xp, h, _, w, b) => (RecurrentSteps.Rnn(xp, h, w, b, relu), null));
        return batched ? (output, h) : (output.Squeeze(BatchFirst ? 0 : 1), h.Squeeze(1));
    }

    // Checked before the base draws any weights, as PyTorch's RNN.__init__; one gate either way. (PyTorch's repr leaves the nonlinearity out.)
    private static int Gates(string nonlinearity)
    {
        ArgumentNullException.ThrowIfNull(nonlinearity);
        return nonlinearity is "tanh" or "relu" ? 1 : throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'");
    }
}
