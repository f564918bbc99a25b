using Descent.NN;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.NN.Recurrent;

/// <summary>
/// The fused LSTM layer against the same layer run as per-step tensor ops (the reference): outputs and final states
/// bit for bit, gradients of input, initial states and every parameter to rounding (∂W_hh is one product over all
/// steps rather than a sum of per-step products).
/// </summary>
public class FusedLstmTests
{
    public static TheoryData<int, bool, bool, bool, bool, string> Configs() => new()
    {
        { 1, false, false, true, false, "float32" },
        { 2, true, true, true, true, "float32" },
        { 1, false, true, false, true, "float32" },
        { 2, true, false, true, true, "float64" },
    };

    private static bool Reaches(Descent.Autograd.Node root, string name)
    {
        var stack = new Stack<Descent.Autograd.Node>([root]);
        var seen = new HashSet<Descent.Autograd.Node>();
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            if (n.Name == name) return true;
            foreach (var next in n.NextFunctions) if (next is not null) stack.Push(next);
        }
        return false;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void FusedLayerGivesTheReferenceNumbers(int layers, bool bidirectional, bool batchFirst, bool bias, bool withStates, string dtype)
    {
        var dt = dtype == "float32" ? DType.Float32 : DType.Float64;
        var gen = new Generator().ManualSeed(3);
        var seeded = new LSTM(5, 7, layers, bias, batchFirst, bidirectional: bidirectional);
        var lstm = new LSTM(5, 7, seeded.FlatWeights.Select(w => w.Detach().To(dt).RequiresGrad_()).ToList(), layers, bias, batchFirst,
            bidirectional: bidirectional);
        int dirs = bidirectional ? 2 : 1;
        var x0 = Tensor.Randn([batchFirst ? 3 : 6, batchFirst ? 6 : 3, 5], gen).To(dt);
        var h00 = Tensor.Randn([layers * dirs, 3, 7], gen).To(dt);
        var c00 = Tensor.Randn([layers * dirs, 3, 7], gen).To(dt);

        (Tensor Out, Tensor H, Tensor C, Tensor[] Grads) Run(bool reference)
        {
            lstm.ZeroGrad();
            var x = x0.Clone().RequiresGrad_();
            var h0 = h00.Clone().RequiresGrad_();
            var c0 = c00.Clone().RequiresGrad_();
            RNNBase.ReferenceSteps = reference;
            try
            {
                var (output, (h, c)) = lstm.Forward(x, withStates ? (h0, c0) : null);
                var loss = output.Mul(Tensor.Linspace(0.5, 1.5, output.Numel).Reshape(output.Shape).To(dt)).Sum()
                    .Add(h.Mul(0.3).Sum()).Add(c.Mul(-0.7).Sum());
                loss.Backward();
                var grads = new List<Tensor> { x.Grad! };
                if (withStates) grads.AddRange([h0.Grad!, c0.Grad!]);
                grads.AddRange(lstm.Parameters().Select(p => p.Grad!));
                return (output, h, c, grads.ToArray());
            }
            finally
            {
                RNNBase.ReferenceSteps = false;
            }
        }

        var fused = Run(false);
        var reference = Run(true);
        Assert.Equal(reference.Out.To(DType.Float64).ToArray<double>(), fused.Out.To(DType.Float64).ToArray<double>());
        Assert.Equal(reference.H.To(DType.Float64).ToArray<double>(), fused.H.To(DType.Float64).ToArray<double>());
        Assert.Equal(reference.C.To(DType.Float64).ToArray<double>(), fused.C.To(DType.Float64).ToArray<double>());
        Assert.True(Reaches(fused.H.GradFn!, "LstmLayerBackward0"), "the fused run recorded no LstmLayerBackward0");
        Assert.False(Reaches(reference.H.GradFn!, "LstmLayerBackward0"), "the reference run used the fused layer");
        double tol = dt == DType.Float32 ? 1e-5 : 1e-12;
        for (int k = 0; k < fused.Grads.Length; k++)
        {
            var e = reference.Grads[k].To(DType.Float64).ToArray<double>();
            var a = fused.Grads[k].To(DType.Float64).ToArray<double>();
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(a[i] - e[i]) <= tol * (1 + Math.Abs(e[i])), $"gradient {k}[{i}]: {a[i]:R}, reference {e[i]:R}");
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void WithoutAGraphTheFusedLayerKeepsTwoStatesAndGivesTheSameBits(int steps, bool bidirectional)
    {
        var gen = new Generator().ManualSeed(5);
        var lstm = new LSTM(4, 6, 2, bidirectional: bidirectional);
        var x = Tensor.Randn([steps, 3, 4], gen);
        (Tensor Out, Tensor H, Tensor C) Run(bool reference)
        {
            RNNBase.ReferenceSteps = reference;
            try
            {
                using (Torch.NoGrad())
                {
                    var (output, (h, c)) = lstm.Forward(x, null);
                    return (output, h, c);
                }
            }
            finally
            {
                RNNBase.ReferenceSteps = false;
            }
        }
        var fused = Run(false);
        var reference = Run(true);
        Assert.Equal(reference.Out.ToArray(), fused.Out.ToArray());
        Assert.Equal(reference.H.ToArray(), fused.H.ToArray());
        Assert.Equal(reference.C.ToArray(), fused.C.ToArray());
    }

    [Fact]
    public void BlocksOfRowsGiveTheSameBitsAtEveryThreadCount()
    {
        // Hidden 24 and 100 rows: each block's products are large enough to be packed, so the batch is cut.
        var gen = new Generator().ManualSeed(9);
        var lstm = new LSTM(5, 24, bidirectional: true);
        var x = Tensor.Randn([4, 100, 5], gen);
        (float[] Out, float[][] Grads) Run(int threads, bool reference)
        {
            int previous = Torch.GetNumThreads();
            Torch.SetNumThreads(threads);
            RNNBase.ReferenceSteps = reference;
            try
            {
                lstm.ZeroGrad();
                var xi = x.Clone().RequiresGrad_();
                var (output, (h, c)) = lstm.Forward(xi, null);
                output.Mul(Tensor.Linspace(-1, 1, output.Numel).Reshape(output.Shape)).Sum().Add(c.Sum()).Backward();
                return (output.ToArray(), [xi.Grad!.ToArray(), .. lstm.Parameters().Select(p => p.Grad!.ToArray())]);
            }
            finally
            {
                RNNBase.ReferenceSteps = false;
                Torch.SetNumThreads(previous);
            }
        }
        var one = Run(1, false);
        var three = Run(3, false);
        Assert.Equal(Run(1, true).Out, one.Out);
        Assert.Equal(one.Out, three.Out);
        for (int k = 0; k < one.Grads.Length; k++) Assert.Equal(one.Grads[k], three.Grads[k]);
    }
}
