using System.Globalization;
using Descent.Diagnostics;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share, like <c>nn.RNNBase</c>: the parameters
/// <c>weight_ih_l{k}</c> [gates·hidden, input], <c>weight_hh_l{k}</c> [gates·hidden, hidden], <c>bias_ih_l{k}</c>,
/// <c>bias_hh_l{k}</c> (and <c>_reverse</c> for the backward direction), registered in PyTorch's order and
/// initialised uniform in ±1/√hiddenSize in that order, so a seed gives PyTorch's numbers.
/// </summary>
public abstract class RNNBase : Module
{
    private readonly Tensor[] flatWeights;
    private readonly int gateCount;

    private protected RNNBase(int gates, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst, double dropout,
        bool bidirectional, IReadOnlyList<Tensor>? weights)
    {
        if (!(dropout >= 0 && dropout <= 1))
            throw new ArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        if (dropout > 0 && numLayers == 1)
            Warnings.Warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, " +
                $"but got dropout={PyFloat(dropout)} and num_layers={numLayers}");
        (InputSize, HiddenSize, NumLayers, Bias, BatchFirst, Dropout, Bidirectional) = (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        gateCount = gates;
        int dirs = bidirectional ? 2 : 1, perDirection = bias ? 4 : 2;
        flatWeights = new Tensor[numLayers * dirs * perDirection];
        int k = 0;
        for (int layer = 0; layer < numLayers; layer++)
        {
            for (int dir = 0; dir < dirs; dir++)
            {
                int layerInput = layer == 0 ? inputSize : hiddenSize * dirs;
                string suffix = $"_l{layer}{(dir == 1 ? "_reverse" : "")}";
                int[][] shapes = bias ? [[gates * hiddenSize, layerInput], [gates * hiddenSize, hiddenSize], [gates * hiddenSize], [gates * hiddenSize]]
                    : [[gates * hiddenSize, layerInput], [gates * hiddenSize, hiddenSize]];
                string[] names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];
                for (int j = 0; j < shapes.Length; j++, k++)
                {
                    var t = weights is null ? Parameter.Create(Tensor.Empty(shapes[j])) : weights[k];
                    flatWeights[k] = RegisterParameter(names[j] + suffix, t)!;
                }
            }
        }
        if (weights is null) ResetParameters();
    }

    /// <summary>Features of each input step.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have the biases b_ih and b_hh.</summary>
    public bool Bias { get; }

    /// <summary>Whether input and output are [batch, seq, feature] rather than [seq, batch, feature].</summary>
    public bool BatchFirst { get; }

    /// <summary>Dropout probability on the outputs of each layer but the last, in training mode.</summary>
    public double Dropout { get; }

    /// <summary>Whether each layer also runs backward in time, its output concatenated to the forward one.</summary>
    public bool Bidirectional { get; }

    /// <summary>The parameters in PyTorch's order (<c>_flat_weights</c>).</summary>
    public IReadOnlyList<Tensor> FlatWeights => flatWeights;

    /// <summary>Re-initialises every parameter uniform in ±1/√hiddenSize, in registration order, as PyTorch's <c>reset_parameters</c>.</summary>
    public void ResetParameters()
    {
        double stdv = HiddenSize > 0 ? 1.0 / Math.Sqrt(HiddenSize) : 0;
        foreach (var w in Parameters()) Init.Uniform_(w, -stdv, stdv);
    }

    /// <inheritdoc/>
    public override string ExtraRepr()
    {
        var s = $"{InputSize}, {HiddenSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!Bias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0) s += $", dropout={PyFloat(Dropout)}";
        if (Bidirectional) s += ", bidirectional=True";
        return s;
    }

    /// <summary>Unbatched input gains its batch dimension (and hx its batch dimension 1); PyTorch's checks of hx's rank.</summary>
    private protected (Tensor Input, bool Batched) Batch(Tensor input, ref Tensor? hx, ref Tensor? cx, bool lstm)
    {
        bool batched = input.Dim == 3;
        if (!batched)
        {
            input = input.Unsqueeze(BatchFirst ? 0 : 1);
            if (hx is not null && lstm && (hx.Dim != 2 || cx!.Dim != 2))
                throw new ArgumentException($"For unbatched 2-D input, hx and cx should also be 2-D but got ({hx.Dim}-D, {cx!.Dim}-D) tensors");
            if (hx is not null && hx.Dim != 2) throw new ArgumentException($"For unbatched 2-D input, hx should also be 2-D but got {hx.Dim}-D tensor");
            hx = hx?.Unsqueeze(1);
            cx = cx?.Unsqueeze(1);
        }
        else if (hx is not null && lstm && (hx.Dim != 3 || cx!.Dim != 3))
            throw new ArgumentException($"For batched 3-D input, hx and cx should also be 3-D but got ({hx.Dim}-D, {cx!.Dim}-D) tensors");
        else if (hx is not null && hx.Dim != 3) throw new ArgumentException($"For batched 3-D input, hx should also be 3-D but got {hx.Dim}-D tensor");
        return (input, batched);
    }

    /// <summary>
    /// Runs the stack over [seq, batch, feature] (or batch-first) input with initial states [layers·dirs, batch, hidden]
    /// (zeros when null): each layer's input projection for all steps is one matrix product, then one fused product of
    /// all gates with W_hh per step.
    /// </summary>
    private protected (Tensor Output, Tensor H, Tensor? C) Run(Tensor input, Tensor? hx, Tensor? cx, bool lstm, Func<Tensor, Tensor, Tensor?, Tensor, Tensor?, (Tensor H, Tensor? C)> step)
    {
        if (input.Dim != 3) throw new ArgumentException($"input must have 3 dimensions, got {input.Dim}");
        if (input.Shape[2] != InputSize)
            throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {InputSize}, got {input.Shape[2]}");
        int dirs = Bidirectional ? 2 : 1, batch = BatchFirst ? input.Shape[0] : input.Shape[1];
        int[] expected = [NumLayers * dirs, batch, HiddenSize];
        hx ??= Tensor.Zeros(expected, input.DType);
        if (lstm) cx ??= Tensor.Zeros(expected, input.DType);
        CheckHidden(hx, expected, lstm ? "Expected hidden[0] size" : "Expected hidden size");
        if (cx is not null) CheckHidden(cx, expected, "Expected hidden[1] size");
        var x = BatchFirst ? input.Transpose(0, 1) : input;
        var hs = new List<Tensor>();
        var cs = new List<Tensor>();
        int perDirection = Bias ? 4 : 2;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var outs = new Tensor[dirs];
            for (int dir = 0; dir < dirs; dir++)
            {
                int idx = layer * dirs + dir, w = idx * perDirection;
                var (o, h, c) = RunDirection(x, hx.Select(0, idx), cx?.Select(0, idx), flatWeights[w], flatWeights[w + 1],
                    Bias ? flatWeights[w + 2] : null, Bias ? flatWeights[w + 3] : null, dir == 1, step);
                outs[dir] = o;
                hs.Add(h);
                if (c is not null) cs.Add(c);
            }
            x = dirs == 1 ? outs[0] : Tensor.Cat(outs, 2);
            if (Dropout > 0 && Training && layer < NumLayers - 1) x = Functional.Dropout(x, Dropout, training: true);
        }
        return (BatchFirst ? x.Transpose(0, 1) : x, Tensor.Stack(hs, 0), lstm ? Tensor.Stack(cs, 0) : null);
    }

    private (Tensor Output, Tensor H, Tensor? C) RunDirection(Tensor x, Tensor h, Tensor? c, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, bool reverse,
        Func<Tensor, Tensor, Tensor?, Tensor, Tensor?, (Tensor H, Tensor? C)> step)
    {
        int steps = x.Shape[0], batch = x.Shape[1];
        if (steps == 0) throw new ArgumentException("Expected sequence length to be larger than 0 in RNN");
        // The input projection of every step at once: [L·N, H_in] · W_ihᵀ + b_ih.
        var xp = Functional.Linear(x.Reshape(steps * batch, x.Shape[2]), wIh, bIh).View(steps, batch, gateCount * HiddenSize);
        // An LSTM direction runs as one op: the same numbers as the steps below, without a dozen nodes per step.
        if (c is not null && gateCount == 4 && !referenceSteps && Tensor.LstmLayerApplies(xp, h, c, wHh, bHh))
            return Tensor.LstmLayer(xp, h, c, wHh, bHh, reverse);
        var outs = new Tensor[steps];
        // One unbind rather than a Select per step: backward then stacks the steps' gradients once.
        var xs = xp.UnbindViews(0);
        for (int s = 0; s < steps; s++)
        {
            int t = reverse ? steps - 1 - s : s;
            (h, c) = step(xs[t], h, c, wHh, bHh);
            outs[t] = h;
        }
        return (Tensor.Stack(outs, 0), h, c);
    }

    private static void CheckHidden(Tensor t, int[] expected, string what)
    {
        if (!t.shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{what} ({expected[0]}, {expected[1]}, {expected[2]}), got {ShapeHelper.Format(t.shape)}");
    }

    [ThreadStatic] private static bool referenceSteps;

    /// <summary>
    /// On this thread, whether LSTM layers run as per-step tensor ops (the reference the fused op is tested against)
    /// rather than as one fused op.
    /// </summary>
    internal static bool ReferenceSteps { get => referenceSteps; set => referenceSteps = value; }

    /// <summary>A double as Python's repr writes a float.</summary>
    internal static string PyFloat(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e16 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
}
