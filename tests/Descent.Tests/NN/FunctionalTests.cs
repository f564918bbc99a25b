using Descent.Diagnostics;
using Descent.NN;
using Descent.Tensors;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>Functional behaviour beyond the goldens: edge cases, warnings and PyTorch's error messages.</summary>
public class FunctionalTests
{
    private static readonly Tensor Logits = Tensor.From(new float[,] { { 1, 2, 3 }, { 1, -1, 0 } });

    [Fact]
    public void SoftmaxRowsSumToOneAndSurviveHugeInputs()
    {
        var y = F.Softmax(Tensor.From(new float[,] { { 1e30f, 0, -1e30f }, { 3, 3, 3 } }), dim: 1);
        Assert.Equal([1f, 0f, 0f, 1 / 3f, 1 / 3f, 1 / 3f], y.ToArray());
        var ls = F.LogSoftmax(Tensor.From(new float[] { 1e4f, 0 }), dim: 0);
        Assert.Equal([0f, -1e4f], ls.ToArray());
    }

    [Fact]
    public void ImplicitSoftmaxDimWarnsAndPicksPyTorchsDim()
    {
        using var w = Warnings.Capture();
        var y = F.Softmax(Tensor.Ones(2, 4));
        Assert.Equal(0.25f, y.ToArray()[0]);
        Assert.Equal(0.5f, F.LogSoftmax(Tensor.Zeros(2, 3, 4)).Exp().ToArray()[0], 6); // 3-D: dim 0
        Assert.Equal(1f, new Softmax().Forward(Tensor.Scalar(3)).Item<float>());
        Assert.Equal(
            ["Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.",
             "Implicit dimension choice for log_softmax has been deprecated. Change the call to include dim=X as an argument.",
             "Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument."],
            w.Messages);
    }

    [Fact]
    public void SoftmaxGradientOfASumIsZero()
    {
        var x = Logits.Clone().RequiresGrad_();
        F.Softmax(x, 1).Sum().Backward();
        Assert.All(x.Grad!.ToArray(), v => Assert.True(Math.Abs(v) < 1e-7));
        Assert.Equal("SoftmaxBackward0", F.Softmax(x, 1).GradFn!.Name);
        Assert.Equal("LogSoftmaxBackward0", F.LogSoftmax(x, 1).GradFn!.Name);
    }

    [Theory]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1.5, "1.5")]
    [InlineData(2.0, "2.0")]
    [InlineData(double.NaN, "nan")]
    public void DropoutRejectsProbabilitiesOutsideZeroOne(double p, string printed)
    {
        string message = $"dropout probability has to be between 0 and 1, but got {printed}";
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new Dropout(p)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => F.Dropout(Tensor.Ones(2), p)).Message);
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalModeOrWithPZero()
    {
        var x = Tensor.Ones(4);
        Assert.Same(x, F.Dropout(x, 0.5, training: false));
        Assert.Same(x, F.Dropout(x, 0.0));
        var d = new Dropout(0.9);
        d.Eval();
        Assert.Same(x, d.Forward(x));
    }

    [Fact]
    public void DropoutWithPOneZeroesEverything()
    {
        var x = Tensor.Ones(3).RequiresGrad_();
        var y = F.Dropout(x, 1.0);
        Assert.Equal([0f, 0f, 0f], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void DropoutKeepsAboutOneMinusPAndScalesThem()
    {
        var x = Tensor.Full([20000], 3.0).RequiresGrad_();
        var y = F.Dropout(x, 0.25, generator: new Generator().ManualSeed(7));
        var v = y.ToArray();
        int kept = 0;
        foreach (var e in v)
        {
            Assert.True(e == 0f || e == 3f / 0.75f);
            if (e != 0) kept++;
        }
        Assert.InRange(kept / 20000.0, 0.73, 0.77);
        // The gradient is the mask: 1/(1 - p) where kept, 0 where dropped.
        y.Sum().Backward();
        var g = x.Grad!.ToArray();
        for (int i = 0; i < g.Length; i++) Assert.Equal(v[i] == 0 ? 0f : 1f / 0.75f, g[i]);
    }

    [Fact]
    public void DropoutMasksFollowTheGenerator()
    {
        var a = F.Dropout(Tensor.Ones(64), 0.5, generator: new Generator().ManualSeed(3));
        var b = F.Dropout(Tensor.Ones(64), 0.5, generator: new Generator().ManualSeed(3));
        Assert.True(a.Equal(b));
        var layer = new Dropout(0.5) { Generator = new Generator().ManualSeed(3) };
        Assert.True(layer.Forward(Tensor.Ones(64)).Equal(a));
        var f64 = F.Dropout(Tensor.Ones([64], DType.Float64), 0.5, generator: new Generator().ManualSeed(3));
        Assert.Equal(DType.Float64, f64.DType);
        Assert.True(f64.To(DType.Float32).Equal(a));
    }

    [Fact]
    public void InplaceDropoutOverwritesItsInput()
    {
        var x = Tensor.Ones(32);
        var y = F.Dropout(x, 0.5, inplace: true, generator: new Generator().ManualSeed(1));
        Assert.Same(x, y);
        Assert.Contains(0f, x.ToArray());
    }

    [Fact]
    public void ReductionMustBeKnown()
    {
        Assert.Equal("avg is not a valid value for reduction", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(reduction: "avg")).Message);
        Assert.Equal("avg is not a valid value for reduction", Assert.Throws<ArgumentException>(() => F.MseLoss(Logits, Logits, "avg")).Message);
        Assert.Equal("x is not a valid value for reduction", Assert.Throws<ArgumentException>(() => new MSELoss("x")).Message);
        using var w = Warnings.Capture();
        Assert.Equal(0f, F.L1Loss(Logits, Logits, "elementwise_mean").Item<float>());
        Assert.Equal(["reduction='elementwise_mean' is deprecated, please use reduction='mean' instead."], w.Messages);
    }

    [Fact]
    public void LossModulesNeedATarget()
    {
        Assert.Equal("MSELoss.forward() missing 1 required positional argument: 'target'",
            Assert.Throws<ArgumentException>(() => new MSELoss().Forward(Logits)).Message);
        Assert.Equal(Tensor.Scalar(0).Item(), new MSELoss().Call(Logits, Logits).Item());
    }

    [Fact]
    public void MseLossBroadcastsWithPyTorchsWarning()
    {
        using var w = Warnings.Capture();
        var loss = F.MseLoss(Tensor.Zeros(3, 2), Tensor.From(new float[] { 1, 2 }));
        Assert.Equal(2.5f, loss.Item<float>());
        Assert.Equal(["Using a target size (torch.Size([2])) that is different to the input size (torch.Size([3, 2])). " +
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size."], w.Messages);
        Assert.Equal([3, 2], F.MseLoss(Tensor.Zeros(3, 2), Tensor.Zeros(2), "none").Shape);
    }

    [Fact]
    public void MeanOfNothingIsNaN()
    {
        Assert.True(double.IsNaN(F.MseLoss(Tensor.Zeros(0), Tensor.Zeros(0)).Item()));
    }

    [Theory]
    [InlineData(new long[] { 1, 3 }, "Target 3 is out of bounds.")]
    [InlineData(new long[] { -1, 0 }, "Target -1 is out of bounds.")]
    public void TargetsMustBeClasses(long[] target, string message)
    {
        Assert.Equal(message, Assert.Throws<IndexOutOfRangeException>(() => F.CrossEntropy(Logits, Tensor.FromArray(target))).Message);
        Assert.Equal(message, Assert.Throws<IndexOutOfRangeException>(() => new NLLLoss().Forward(Logits, Tensor.FromArray(target))).Message);
    }

    [Fact]
    public void ClassificationShapeAndTypeMessagesArePyTorchs()
    {
        string Msg(Func<Tensor> f) => Assert.Throws<ArgumentException>(() => f()).Message;
        var x = Tensor.Zeros(3, 5);
        Assert.Equal("Expected input batch_size (3) to match target batch_size (2).", Msg(() => F.NllLoss(x, Tensor.FromArray(new long[] { 1, 0 }))));
        Assert.Equal("Expected input batch_size (3) to match target batch_size (0).", Msg(() => F.NllLoss(x, Tensor.Scalar(1, DType.Int64))));
        Assert.Equal("0D or 1D target tensor expected, multi-target not supported", Msg(() => F.NllLoss(x, Tensor.Zeros([3, 2], DType.Int64))));
        Assert.Equal("size mismatch (got input: [5], target: [1])", Msg(() => F.NllLoss(Tensor.Zeros(5), Tensor.Zeros([1], DType.Int64))));
        Assert.Equal("Expected 1 or more dimensions (got 0)", Msg(() => F.NllLoss(Tensor.Scalar(1), Tensor.Scalar(1, DType.Int64))));
        Assert.Equal("expected scalar type Long but found Float", Msg(() => F.CrossEntropy(x, Tensor.Zeros(3))));
        Assert.Equal("expected scalar type Float but found Double",
            Msg(() => F.CrossEntropy(x, Tensor.Zeros([3], DType.Int64), weight: Tensor.Ones([5], DType.Float64))));
        Assert.Equal("weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [4]",
            Msg(() => F.CrossEntropy(x, Tensor.Zeros([3], DType.Int64), weight: Tensor.Ones(4))));
        Assert.Equal("Expected target size [2, 4], got [2, 3]", Msg(() => F.NllLoss(Tensor.Zeros(2, 3, 4), Tensor.Zeros([2, 3], DType.Int64))));
        Assert.Equal("Expected target size [2, 4], got [2]", Msg(() => F.NllLoss(Tensor.Zeros(2, 3, 4), Tensor.Zeros([2], DType.Int64))));
        Assert.Equal("size mismatch (got input: [2, 3, 4, 5] , target: [2, 4, 4]", Msg(() => F.NllLoss(Tensor.Zeros(2, 3, 4, 5), Tensor.Zeros([2, 4, 4], DType.Int64))));
        Assert.Equal("Expected floating point type for target with class probabilities, got Long", Msg(() => F.CrossEntropy(x, Tensor.Zeros([3, 5], DType.Int64))));
        Assert.Equal("ignore_index is not supported for floating point target", Msg(() => F.CrossEntropy(x, Tensor.Zeros(3, 5), ignoreIndex: 3)));
        Assert.Equal("label_smoothing must be between 0.0 and 1.0. Got: 1.5", Msg(() => F.CrossEntropy(x, Tensor.Zeros([3], DType.Int64), labelSmoothing: 1.5)));
    }

    [Fact]
    public void AllIgnoredTargetsGiveNaNMeanAndZeroSum()
    {
        var t = Tensor.FromArray(new long[] { -100, -100 });
        var x = Logits.Clone().RequiresGrad_();
        var mean = F.CrossEntropy(x, t);
        Assert.True(double.IsNaN(mean.Item()));
        Assert.Equal(0.0, F.CrossEntropy(x, t, reduction: "sum").Item());
        mean.Backward();
        Assert.All(x.Grad!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void IgnoredTargetsGetZeroLossAndGradient()
    {
        var x = Logits.Clone().RequiresGrad_();
        var none = F.CrossEntropy(x, Tensor.FromArray(new long[] { 2, 1 }), ignoreIndex: 1, reduction: "none");
        Assert.Equal(0f, none.ToArray()[1]);
        none.Sum().Backward();
        Assert.All(x.Grad![1].ToArray(), v => Assert.Equal(0f, v));
        // The mean is over the counted targets only.
        var mean = F.CrossEntropy(Logits, Tensor.FromArray(new long[] { 2, 1 }), ignoreIndex: 1);
        Assert.Equal(none.ToArray()[0], mean.Item<float>(), 6);
    }

    [Fact]
    public void CrossEntropyIsLogSoftmaxThenNll()
    {
        var t = Tensor.FromArray(new long[] { 2, 0 });
        Assert.Equal(F.NllLoss(F.LogSoftmax(Logits, 1), t).Item(), F.CrossEntropy(Logits, t).Item(), 6);
        // One-hot probabilities give the same loss as the indices.
        var oneHot = Tensor.From(new float[,] { { 0, 0, 1 }, { 1, 0, 0 } });
        Assert.Equal(F.CrossEntropy(Logits, t).Item(), F.CrossEntropy(Logits, oneHot).Item(), 6);
    }

    [Fact]
    public void BinaryLossMessagesArePyTorchs()
    {
        string Msg(Func<Tensor> f) => Assert.Throws<ArgumentException>(() => f()).Message;
        Assert.Equal("Using a target size (torch.Size([2])) that is different to the input size (torch.Size([3])) is deprecated. Please ensure they have the same size.",
            Msg(() => F.BinaryCrossEntropy(Tensor.Zeros(3), Tensor.Zeros(2))));
        Assert.Equal("all elements of input should be between 0 and 1", Msg(() => F.BinaryCrossEntropy(Tensor.Full([1], 1.5), Tensor.Zeros(1))));
        Assert.Equal("Target size (torch.Size([2])) must be the same as input size (torch.Size([3]))",
            Msg(() => F.BinaryCrossEntropyWithLogits(Tensor.Zeros(3), Tensor.Zeros(2))));
        Assert.Equal("Found dtype Long but expected Float", Msg(() => F.BinaryCrossEntropy(Tensor.Zeros(3), Tensor.Zeros([3], DType.Int64))));
        Assert.Equal("The function 'binary_cross_entropy_with_logits' is not differentiable with respect to argument 'pos_weight'. This input cannot have requires_grad True.",
            Msg(() => F.BinaryCrossEntropyWithLogits(Tensor.Zeros(3), Tensor.Zeros(3), posWeight: Tensor.Ones(3).RequiresGrad_())));
    }

    [Fact]
    public void BinaryCrossEntropyClampsItsLogsAtMinus100()
    {
        var loss = F.BinaryCrossEntropy(Tensor.From(new float[] { 0, 1 }), Tensor.From(new float[] { 1, 0 }), reduction: "none");
        Assert.Equal([100f, 100f], loss.ToArray());
    }

    [Fact]
    public void LogitsFormIsStableWhereTheSigmoidSaturates()
    {
        var x = Tensor.From(new float[] { -200, 200 }).RequiresGrad_();
        var loss = F.BinaryCrossEntropyWithLogits(x, Tensor.From(new float[] { 1, 0 }), reduction: "none");
        Assert.Equal([200f, 200f], loss.ToArray());
        loss.Sum().Backward();
        Assert.Equal([-1f, 1f], x.Grad!.ToArray());
    }

    [Fact]
    public void FlattenChecksItsDims()
    {
        Assert.Equal([2, 12], new Flatten().Forward(Tensor.Zeros(2, 3, 4)).Shape);
        Assert.Equal([6, 4], new Flatten(0, 1).Forward(Tensor.Zeros(2, 3, 4)).Shape);
        Assert.Contains("Dimension out of range (expected to be in range of [-1, 0], but got 1)",
            Assert.ThrowsAny<ArgumentException>(() => new Flatten().Forward(Tensor.Zeros(2))).Message);
    }

    [Fact]
    public void InplaceReluOverwritesItsInput()
    {
        var x = Tensor.From(new float[] { -1, 2 });
        Assert.Same(x, new ReLU(inplace: true).Forward(x));
        Assert.Equal([0f, 2f], x.ToArray());
        Assert.Equal("ReLU(inplace=True)", new ReLU(true).ToString());
    }

    [Fact]
    public void OneDimensionalInputIsOneSample()
    {
        // As ATen's kernel: a 1-D input with a 1-D target of the same length uses the first target only.
        var x = Tensor.From(new float[] { 0.1f, -0.5f, 0.3f }).RequiresGrad_();
        var loss = F.NllLoss(x, Tensor.FromArray(new long[] { 2, 0, 1 }), reduction: "none");
        Assert.Empty(loss.Shape);
        Assert.Equal(-0.3f, loss.Item<float>());
        loss.Backward();
        Assert.Equal([0f, 0f, -1f], x.Grad!.ToArray());
        Assert.Equal(-0.1f, F.NllLoss(x, Tensor.Scalar(0, DType.Int64)).Item<float>());
    }
}
