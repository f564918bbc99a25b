using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// What <see cref="RNNCell"/>, <see cref="LSTMCell"/> and <see cref="GRUCell"/> share, like <c>nn.RNNCellBase</c>:
/// <c>weight_ih</c> [gates·hidden, input], <c>weight_hh</c> [gates·hidden, hidden], <c>bias_ih</c>, <c>bias_hh</c>,
/// initialised uniform in ±1/√hiddenSize in that order, so a seed gives PyTorch's numbers.
/// </summary>
public abstract class RNNCellBase : Module
{
    private protected RNNCellBase(int inputSize, int hiddenSize, bool bias, int gates, IReadOnlyList<Tensor>? weights)
    {
        (InputSize, HiddenSize, Bias) = (inputSize, hiddenSize, bias);
        Tensor Make(int k, params int[] shape) => weights is null ? Parameter.Create(Tensor.Empty(shape)) : weights[k];
        WeightIh = RegisterParameter("weight_ih", Make(0, gates * hiddenSize, inputSize))!;
        WeightHh = RegisterParameter("weight_hh", Make(1, gates * hiddenSize, hiddenSize))!;
        BiasIh = RegisterParameter("bias_ih", bias ? Make(2, gates * hiddenSize) : null);
        BiasHh = RegisterParameter("bias_hh", bias ? Make(3, gates * hiddenSize) : null);
        if (weights is null) ResetParameters();
    }

    /// <summary>Features of the input.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Whether the cell has the biases b_ih and b_hh.</summary>
    public bool Bias { get; }

    /// <summary>W_ih, [gates·hidden, input].</summary>
    public Tensor WeightIh { get; }

    /// <summary>W_hh, [gates·hidden, hidden].</summary>
    public Tensor WeightHh { get; }

    /// <summary>b_ih, [gates·hidden], or null.</summary>
    public Tensor? BiasIh { get; }

    /// <summary>b_hh, [gates·hidden], or null.</summary>
    public Tensor? BiasHh { get; }

    /// <summary>Re-initialises every parameter uniform in ±1/√hiddenSize, in registration order, as PyTorch's <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        double stdv = HiddenSize > 0 ? 1.0 / Math.Sqrt(HiddenSize) : 0;
        foreach (var w in Parameters()) Init.Uniform_(w, -stdv, stdv);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => Bias ? $"{InputSize}, {HiddenSize}" : $"{InputSize}, {HiddenSize}, bias=False";

    /// <summary>Unbatched input [input] gains a batch dimension; PyTorch's checks of the input's rank and size.</summary>
    private protected Tensor Batch(Tensor input, string cell)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (1 or 2)) throw new ArgumentException($"{cell}: Expected input to be 1-D or 2-D but received {input.Dim}-D tensor");
        var x = input.Dim == 2 ? input : input.Unsqueeze(0);
        if (x.shape[1] != InputSize) throw new ArgumentException($"input has inconsistent input_size: got {x.shape[1]} expected {InputSize}");
        return x;
    }

    /// <summary>The state [batch, hidden] (zeros when null); PyTorch's checks of its batch and hidden sizes.</summary>
    private protected Tensor State(Tensor x, Tensor? hx, bool batched, int index)
    {
        if (hx is null) return Tensor.Zeros([x.shape[0], HiddenSize], x.DType);
        var h = batched ? hx : hx.Unsqueeze(0);
        if (h.shape[0] != x.shape[0]) throw new ArgumentException($"Input batch size {x.shape[0]} doesn't match hidden{index} batch size {h.shape[0]}");
        if (h.Dim < 2 || h.shape[1] != HiddenSize)
            throw new ArgumentException($"hidden{index} has inconsistent hidden_size: got {(h.Dim < 2 ? 0 : h.shape[1])}, expected {HiddenSize}");
        return h;
    }

    /// <summary>x·W_ihᵀ + b_ih.</summary>
    private protected Tensor InputProjection(Tensor x) => Functional.Linear(x, WeightIh, BiasIh);
}
