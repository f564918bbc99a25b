using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// A multi-layer gated recurrent unit network, like <c>nn.GRU</c>: gates r, z, n stacked in that order in the
/// weights [3·hidden, ·]; n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h. Input
/// [seq, batch, inputSize] ([batch, seq, inputSize] with <c>batchFirst</c>) or unbatched [seq, inputSize].
/// </summary>
public sealed class GRU : RNNBase
{
    /// <summary>Creates the network and initialises it from the default generator; PyTorch's checks and warning.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0, bool bidirectional = false)
        : base(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, null)
    {
    }

    /// <summary>A network over existing parameters in PyTorch's order, used as they are; no random numbers are drawn.</summary>
    internal GRU(int inputSize, int hiddenSize, IReadOnlyList<Tensor> weights, int numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false)
        : base(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, weights)
    {
    }

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
        var (output, h, _) = Run(x, hx, null, lstm: false, static (xp, h, _, w, b) => (RecurrentSteps.Gru(xp, h, w, b), null));
        return batched ? (output, h) : (output.Squeeze(BatchFirst ? 0 : 1), h.Squeeze(1));
    }
}
