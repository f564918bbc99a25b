using System.Text.Json;
using Descent.Autograd;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>
/// Embedding against PyTorch (Golden/norm.json): lookups and weight gradients with padding, max-norm (the in-place
/// renormalisation included) and frequency scaling; seeded default init; SparseAdam and SGD on sparse gradients;
/// the dense optimizers' refusals.
/// </summary>
[Collection("GlobalGenerator")]
public class EmbeddingGoldenTests
{
    public static IEnumerable<object[]> Names() => NormGolden.Names("embedding");

    private static double? OptionalDouble(JsonElement c, string key) =>
        c.GetProperty(key).ValueKind == JsonValueKind.Null ? null : c.GetProperty(key).GetDouble();

    private static long? OptionalLong(JsonElement c, string key) =>
        c.GetProperty(key).ValueKind == JsonValueKind.Null ? null : c.GetProperty(key).GetInt64();

    [Theory]
    [MemberData(nameof(Names))]
    public void LookupAndGradientMatchPyTorch(string name)
    {
        var c = NormGolden.Case("embedding", name);
        var m = new Embedding(c.GetProperty("num_embeddings").GetInt32(), c.GetProperty("embedding_dim").GetInt32(),
            OptionalLong(c, "padding_idx"), OptionalDouble(c, "max_norm"), c.GetProperty("norm_type").GetDouble(),
            c.GetProperty("scale_grad_by_freq").GetBoolean());
        using (GradMode.Set(false)) m.Weight.Copy_(GoldenJson.Tensor(c.GetProperty("weight")));
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        var y = m.Forward(GoldenJson.Tensor(c.GetProperty("indices")));
        GoldenJson.AssertClose(c.GetProperty("output"), y, 1e-5, name + " output");
        y.Mul(NormGolden.Upstream(y)).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_weight"), m.Weight.Grad!, 1e-5, name + " grad");
        GoldenJson.AssertClose(c.GetProperty("weight_after"), m.Weight, 1e-5, name + " weight after");
        Assert.False(m.Weight.Grad!.IsSparse);
    }

    [Fact]
    public void DefaultInitMatchesPyTorchForASeed()
    {
        foreach (var c in NormGolden.Root.GetProperty("init").EnumerateArray())
        {
            Torch.ManualSeed(c.GetProperty("seed").GetInt64());
            var m = new Embedding(c.GetProperty("num_embeddings").GetInt32(), c.GetProperty("embedding_dim").GetInt32(), OptionalLong(c, "padding_idx"));
            GoldenJson.AssertClose(c.GetProperty("weight"), m.Weight, 0, "init seed " + c.GetProperty("seed"));
        }
    }

    [Fact]
    public void SparseAdamStepsASparseEmbeddingAsPyTorch()
    {
        var c = NormGolden.Root.GetProperty("sparse_adam");
        var m = new Embedding(c.GetProperty("num_embeddings").GetInt32(), c.GetProperty("embedding_dim").GetInt32(),
            c.GetProperty("padding_idx").GetInt64(), sparse: true);
        using (GradMode.Set(false)) m.Weight.Copy_(GoldenJson.Tensor(c.GetProperty("weight")));
        var opt = new SparseAdam(m.Parameters(), lr: c.GetProperty("lr").GetDouble());
        int step = 0;
        foreach (var s in c.GetProperty("steps").EnumerateArray())
        {
            opt.ZeroGrad();
            var idx = Tensor.FromArray(s.GetProperty("indices").EnumerateArray().Select(v => v.GetInt64()).ToArray());
            var y = m.Forward(idx);
            y.Mul(NormGolden.Upstream(y)).Sum().Backward();
            var g = m.Weight.Grad!;
            Assert.True(g.IsSparse);
            var rows = s.GetProperty("grad_rows").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            Assert.Equal(rows, g.SparseRows!);
            GoldenJson.AssertClose(s.GetProperty("grad_values"), g.IndexSelect(0, Tensor.FromArray(rows)), 1e-6, $"step {step} grad values");
            opt.Step();
            GoldenJson.AssertClose(s.GetProperty("weight"), m.Weight, 1e-5, $"step {step++} weight");
        }
    }

    [Fact]
    public void SgdStepsASparseEmbeddingAsPyTorch()
    {
        var c = NormGolden.Root.GetProperty("sparse_sgd");
        var m = Embedding.FromPretrained(GoldenJson.Tensor(c.GetProperty("weight")), freeze: false, sparse: true);
        var opt = new SGD(m.Parameters(), lr: c.GetProperty("lr").GetDouble());
        foreach (var b in c.GetProperty("batches").EnumerateArray())
        {
            opt.ZeroGrad();
            var y = m.Forward(Tensor.FromArray(b.EnumerateArray().Select(v => v.GetInt64()).ToArray()));
            y.Mul(NormGolden.Upstream(y)).Sum().Backward();
            opt.Step();
        }
        GoldenJson.AssertClose(c.GetProperty("weight_after"), m.Weight, 1e-6, "sgd");
    }

    public static IEnumerable<object[]> Refusals() =>
    [
        ["Adam", "Adam does not support sparse gradients, please consider SparseAdam instead"],
        ["AdamW", "AdamW does not support sparse gradients"],
        ["RMSprop", "RMSprop does not support sparse gradients"],
        ["Adamax", "Adamax does not support sparse gradients"],
        ["Adadelta", "Adadelta does not support sparse gradients"],
        ["NAdam", "NAdam does not support sparse gradients"],
        ["RAdam", "RAdam does not support sparse gradients"],
        ["ASGD", "ASGD does not support sparse gradients"],
        ["Rprop", "Rprop does not support sparse gradients"],
        ["AdagradWeightDecay", "weight_decay option is not compatible with sparse gradients"],
    ];

    private static Optimizer Make(string name, IEnumerable<Tensor> p) => name switch
    {
        "Adam" => new Adam(p),
        "AdamW" => new AdamW(p),
        "RMSprop" => new RMSprop(p),
        "Adamax" => new Adamax(p),
        "Adadelta" => new Adadelta(p),
        "NAdam" => new NAdam(p),
        "RAdam" => new RAdam(p),
        "ASGD" => new ASGD(p),
        "Rprop" => new Rprop(p),
        "AdagradWeightDecay" => new Adagrad(p, weightDecay: 0.1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void DenseOptimizersRefuseSparseGradientsWithPyTorchsMessage(string optimizer, string message)
    {
        var m = new Embedding(4, 2, sparse: true);
        var before = m.Weight.Clone();
        var opt = Make(optimizer, m.Parameters());
        m.Forward(Tensor.FromArray([1L, 2L])).Sum().Backward();
        var e = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Equal(message, e.Message);
        Assert.Equal(before.ToArray<float>(), m.Weight.ToArray<float>());
    }

    [Fact]
    public void SparseGradientsAccumulateTheUnionOfRowsAndZeroToNoRows()
    {
        var m = new Embedding(6, 2, sparse: true, paddingIdx: 0);
        m.Forward(Tensor.FromArray([4L, 1L, 0L])).Sum().Backward();
        m.Forward(Tensor.FromArray([2L, 4L])).Sum().Backward();
        Assert.Equal([1L, 2L, 4L], m.Weight.Grad!.SparseRows!);
        Assert.Equal(new float[] { 0, 0, 1, 1, 1, 1, 0, 0, 2, 2, 0, 0 }, m.Weight.Grad.ToArray<float>());
        m.ZeroGrad(setToNone: false);
        Assert.Empty(m.Weight.Grad!.SparseRows!);
        // A dense gradient added to a sparse one makes it dense.
        m.Weight.Mul(1.0).Sum().Backward();
        Assert.False(m.Weight.Grad!.IsSparse);
    }

    [Fact]
    public void FromPretrainedFreezesAndKeepsThePaddingRow()
    {
        var w = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }).Reshape(3, 2);
        var m = Embedding.FromPretrained(w, paddingIdx: 1);
        Assert.False(m.Weight.RequiresGrad);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, m.Weight.ToArray<float>());
        Assert.Equal("Embedding(3, 2, padding_idx=1)", m.ToString());
        Assert.True(Embedding.FromPretrained(w, freeze: false).Weight.RequiresGrad);
    }

    public static IEnumerable<object[]> Errors() =>
    [
        ["pad_high", "Padding_idx must be within num_embeddings"],
        ["pad_low", "Padding_idx must be within num_embeddings"],
        ["pretrained_1d", "Embeddings parameter is expected to be 2-dimensional"],
        ["float_indices", "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)"],
    ];

    [Theory]
    [MemberData(nameof(Errors))]
    public void ArgumentErrorsHavePyTorchsMessages(string what, string message)
    {
        Action act = what switch
        {
            "pad_high" => () => _ = new Embedding(3, 2, paddingIdx: 3),
            "pad_low" => () => _ = new Embedding(3, 2, paddingIdx: -4),
            "pretrained_1d" => () => Embedding.FromPretrained(Tensor.Ones(3)),
            _ => () => new Embedding(3, 2).Forward(Tensor.Ones(2)),
        };
        Assert.Equal(message, Assert.Throws<ArgumentException>(act).Message);
    }

    [Fact]
    public void IndexOutOfRangeIsRefused()
    {
        var e = Assert.Throws<IndexOutOfRangeException>(() => new Embedding(3, 2).Forward(Tensor.FromArray([3L])));
        Assert.Equal("index out of range in self", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RecordedGradientEqualsThePlainOneWithPaddingAndScaling(bool sparse)
    {
        var idx = Tensor.FromArray([1L, 3L, 1L, 0L, 3L, 3L], 2, 3);
        var w = Tensor.FromArray([0.5, -1, 2, 0.25, 1.5, -0.75, 3, 1]).Reshape(4, 2).RequiresGrad_();
        var up = NormGolden.Upstream(Tensor.Zeros([2, 3, 2], DType.Float64));
        var plain = Torch.Autograd.Grad([Descent.NN.Functional.Embedding(idx, w, 1, scaleGradByFreq: true, sparse: sparse).Mul(up).Sum()], [w])[0]!;
        var recorded = Torch.Autograd.Grad([Descent.NN.Functional.Embedding(idx, w, 1, scaleGradByFreq: true, sparse: sparse).Mul(up).Sum()], [w], createGraph: true)[0]!;
        Assert.Equal(plain.ToArray<double>(), recorded.ToArray<double>());
        Assert.Equal(sparse, plain.IsSparse);
        Assert.False(recorded.IsSparse); // under create_graph the gradient is dense
        // Row 0 is looked up once (position 3), row 1 is padding, row 3 three times (positions 1, 4, 5): their mean.
        var u = up.Reshape(-1).ToArray<double>();
        double[] want = [u[6], u[7], 0, 0, 0, 0, (u[2] + u[8] + u[10]) / 3, (u[3] + u[9] + u[11]) / 3];
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], plain.Reshape(-1).ToArray<double>()[i], 12);
    }
}
