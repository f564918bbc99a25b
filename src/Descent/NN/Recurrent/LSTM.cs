using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// A multi-layer long short-term memory network, like <c>nn.LSTM</c>: gates i, f, g, o stacked in that order in
/// the weights [4·hidden, ·]; c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). Input [seq, batch, inputSize]
/// ([batch, seq, inputSize] with <c>batchFirst</c>) or unbatched [seq, inputSize].
/// </summary>
public sealed class LSTM : RNNBase
{
    /// <summary>Creates the network and initialises it from the default generator; PyTorch's checks and warning.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0, bool bidirectional = false)
        : base(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, null)
    {
    }

    /// <summary>A network over existing parameters in PyTorch's order, used as they are; no random numbers are drawn.</summary>
    internal LSTM(int inputSize, int hiddenSize, IReadOnlyList<Tensor> weights, int numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false)
        : base(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, weights)
    {
    }

    /// <summary>The output [seq, batch, dirs·hidden] from zero initial states.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Output [seq, batch, dirs·hidden] and the final states h_n, c_n [layers·dirs, batch, hidden], from initial states
    /// <paramref name="hx"/> (h_0, c_0) of that shape, zeros when null; unbatched input takes and gives states without the batch dimension.
    /// </summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? hx)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor? h0 = hx?.H, c0 = hx?.C;
        var (x, batched) = Batch(input, ref h0, ref c0, lstm: true);
        var (output, h, c) = Run(x, h0, c0, lstm: true, static (xp, h, c, w, b) =>
        {
            var (hy, cy) = RecurrentSteps.Lstm(xp, h, c!, w, b);
            return (hy, cy);
        });
        if (batched) return (output, (h, c!));
        return (output.Squeeze(BatchFirst ? 0 : 1), (h.Squeeze(1), c!.Squeeze(1)));
    }
}
