using Descent.Diagnostics;
using Descent.NN;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>
/// nn.init by its formulas: gains, fans, bounds and standard deviations derived by hand, independent of the
/// generator's exact sequence (those values are in <see cref="SeededInitTests"/>).
/// </summary>
public class InitTests
{
    private static readonly Generator Rng = new Generator().ManualSeed(42);

    [Theory]
    [InlineData("linear", 1.0)]
    [InlineData("conv1d", 1.0)]
    [InlineData("conv2d", 1.0)]
    [InlineData("conv3d", 1.0)]
    [InlineData("conv_transpose1d", 1.0)]
    [InlineData("conv_transpose2d", 1.0)]
    [InlineData("conv_transpose3d", 1.0)]
    [InlineData("sigmoid", 1.0)]
    [InlineData("tanh", 5.0 / 3)]
    [InlineData("relu", 1.4142135623730951)]
    [InlineData("leaky_relu", 1.4141428569978354)] // √(2 / (1 + 0.01²))
    [InlineData("selu", 0.75)]
    public void CalculateGainMatchesPyTorchsTable(string nonlinearity, double gain) =>
        Assert.Equal(gain, Init.CalculateGain(nonlinearity), 15);

    [Fact]
    public void LeakyReluGainUsesTheSlope()
    {
        Assert.Equal(Math.Sqrt(2.0 / 6), Init.CalculateGain("leaky_relu", Math.Sqrt(5)), 15);
        Assert.Equal(Math.Sqrt(2.0), Init.CalculateGain("leaky_relu", 0), 15);
        Assert.Equal("Unsupported nonlinearity gelu", Assert.Throws<ArgumentException>(() => Init.CalculateGain("gelu")).Message);
    }

    [Fact]
    public void FansCountTheReceptiveField()
    {
        Assert.Equal((1, 20), Init.CalculateFanInAndFanOut(Tensor.Empty(20, 1)));
        Assert.Equal((4 * 5 * 6, 3 * 5 * 6), Init.CalculateFanInAndFanOut(Tensor.Empty(3, 4, 5, 6)));
        Assert.Equal("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
            Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(Tensor.Empty(5))).Message);
    }

    private static (double Min, double Max, double Mean, double Std) Stats(Tensor t)
    {
        var v = t.To(DType.Float64).ToArray<double>();
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        foreach (var x in v)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
            sum += x;
        }
        double mean = sum / v.Length, ss = 0;
        foreach (var x in v) ss += (x - mean) * (x - mean);
        return (min, max, mean, Math.Sqrt(ss / (v.Length - 1)));
    }

    /// <summary>Samples lie in [−bound, bound) and reach close to both ends.</summary>
    private static void AssertUniform(Tensor t, double bound)
    {
        var (min, max, mean, std) = Stats(t);
        Assert.InRange(min, -bound, -0.98 * bound);
        Assert.InRange(max, 0.98 * bound, bound);
        Assert.InRange(mean, -0.02 * bound, 0.02 * bound);
        Assert.InRange(std, 0.97 * bound / Math.Sqrt(3), 1.03 * bound / Math.Sqrt(3));
    }

    private static void AssertNormal(Tensor t, double mean, double std)
    {
        var s = Stats(t);
        Assert.InRange(s.Mean, mean - 0.03 * std, mean + 0.03 * std);
        Assert.InRange(s.Std, 0.97 * std, 1.03 * std);
    }

    [Fact]
    public void UniformAndNormalFillInPlaceWithoutRecordingGradients()
    {
        var p = Parameter.Create(Tensor.Empty(100, 100));
        Assert.Same(p, Init.Uniform_(p, -2, 3, Rng));
        Assert.True(p.IsLeaf);
        Assert.True(p.RequiresGrad);
        var (min, max, _, _) = Stats(p);
        Assert.InRange(min, -2, -1.95);
        Assert.InRange(max, 2.95, 3);
        Assert.Same(p, Init.Normal_(p, 1, 2, Rng));
        AssertNormal(p, 1, 2);
        Assert.Null(p.GradFn);
    }

    [Fact]
    public void ConstantZerosAndOnes()
    {
        var p = Parameter.Create(Tensor.Empty(2, 3));
        Assert.All(Init.Constant_(p, 0.25).ToArray(), v => Assert.Equal(0.25f, v));
        Assert.All(Init.Ones_(p).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Init.Zeros_(p).ToArray(), v => Assert.Equal(0f, v));
        Assert.True(p.IsLeaf);
    }

    [Fact]
    public void XavierUsesBothFans()
    {
        // fan_in 200, fan_out 300: a = gain·√(6 / 500), std = gain·√(2 / 500).
        AssertUniform(Init.XavierUniform_(Tensor.Empty(300, 200), generator: Rng), Math.Sqrt(6.0 / 500));
        AssertUniform(Init.XavierUniform_(Tensor.Empty(300, 200), gain: 2, generator: Rng), 2 * Math.Sqrt(6.0 / 500));
        AssertNormal(Init.XavierNormal_(Tensor.Empty(300, 200), generator: Rng), 0, Math.Sqrt(2.0 / 500));
        AssertNormal(Init.XavierNormal_(Tensor.Empty(300, 200), gain: 0.5, generator: Rng), 0, 0.5 * Math.Sqrt(2.0 / 500));
    }

    [Fact]
    public void KaimingUsesTheChosenFanAndGain()
    {
        // [400, 300]: fan_in 300, fan_out 400. bound = √3·gain/√fan, std = gain/√fan.
        AssertUniform(Init.KaimingUniform_(Tensor.Empty(400, 300), nonlinearity: "relu", generator: Rng), Math.Sqrt(6.0 / 300));
        AssertUniform(Init.KaimingUniform_(Tensor.Empty(400, 300), mode: "fan_out", nonlinearity: "relu", generator: Rng), Math.Sqrt(6.0 / 400));
        // Linear's default, a = √5: gain √(1/3), so the bound is 1/√fan_in.
        AssertUniform(Init.KaimingUniform_(Tensor.Empty(400, 300), a: Math.Sqrt(5), generator: Rng), 1 / Math.Sqrt(300));
        AssertNormal(Init.KaimingNormal_(Tensor.Empty(400, 300), generator: Rng), 0, Math.Sqrt(2.0 / 300));
        AssertNormal(Init.KaimingNormal_(Tensor.Empty(400, 300), a: 0.2, mode: "fan_out", generator: Rng), 0, Math.Sqrt(2.0 / 1.04) / Math.Sqrt(400));
        AssertNormal(Init.KaimingNormal_(Tensor.Empty(400, 300), nonlinearity: "tanh", generator: Rng), 0, 5.0 / 3 / Math.Sqrt(300));
    }

    [Fact]
    public void KaimingRejectsUnknownModesBeforeNonlinearities()
    {
        Assert.Equal("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']",
            Assert.Throws<ArgumentException>(() => Init.KaimingUniform_(Tensor.Empty(2, 2), mode: "fan_avg", nonlinearity: "nope")).Message);
        Assert.Equal("Unsupported nonlinearity nope",
            Assert.Throws<ArgumentException>(() => Init.KaimingNormal_(Tensor.Empty(2, 2), nonlinearity: "nope")).Message);
    }

    [Fact]
    public void KaimingSkipsZeroElementTensorsWithAWarning()
    {
        using var w = Warnings.Capture();
        var t = Tensor.Empty(0, 3);
        Assert.Same(t, Init.KaimingUniform_(t));
        Assert.Same(t, Init.KaimingNormal_(t));
        Assert.Equal(["Initializing zero-element tensors is a no-op", "Initializing zero-element tensors is a no-op"], w.Messages);
    }

    [Fact]
    public void LinearInitialisesWithinOneOverSqrtFanIn()
    {
        var l = new Linear(50, 400);
        AssertUniform(l.Weight, 1 / Math.Sqrt(50));
        var (min, max, _, _) = Stats(l.Bias!);
        Assert.InRange(min, -1 / Math.Sqrt(50), 0);
        Assert.InRange(max, 0, 1 / Math.Sqrt(50));
        Assert.True(l.Weight.IsLeaf && l.Weight.RequiresGrad && l.Bias!.IsLeaf);
    }

    [Fact]
    public void TheSameGeneratorSeedGivesTheSameValues()
    {
        var a = Init.XavierNormal_(Tensor.Empty(5, 5), generator: new Generator().ManualSeed(9));
        var b = Init.XavierNormal_(Tensor.Empty(5, 5), generator: new Generator().ManualSeed(9));
        Assert.True(a.Equal(b));
    }
}
