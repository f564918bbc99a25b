using System.Text.Json;
using Descent.Autograd;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;


namespace Descent.Tests.NN;

/// <summary>
/// BatchNorm1d/2d against PyTorch (Golden/norm.json from tests/golden/gen_norm.py): outputs, gradients and running
/// statistics over three training steps, then eval mode; printed form and state-dict keys.
/// </summary>
public class BatchNormGoldenTests
{
    public static IEnumerable<object[]> Names() => NormGolden.Names("batchnorm");

    internal static BatchNormBase Make(JsonElement c)
    {
        int nf = c.GetProperty("num_features").GetInt32();
        double eps = c.GetProperty("eps").GetDouble();
        double? momentum = c.GetProperty("momentum").ValueKind == JsonValueKind.Null ? null : c.GetProperty("momentum").GetDouble();
        bool affine = c.GetProperty("affine").GetBoolean(), track = c.GetProperty("track_running_stats").GetBoolean();
        return NormGolden.WithDtype(c, () => c.GetProperty("cls").GetString() == "BatchNorm1d"
            ? (BatchNormBase)new BatchNorm1d(nf, eps, momentum, affine, track)
            : new BatchNorm2d(nf, eps, momentum, affine, track));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TrainingStepsAndEvalMatchPyTorch(string name)
    {
        var c = NormGolden.Case("batchnorm", name);
        var m = Make(c);
        NormGolden.LoadParams(m, c);
        Assert.Equal(c.GetProperty("repr").GetString(), m.ToString());
        Assert.Equal(c.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()), m.StateDict().Keys);
        int step = 0;
        foreach (var s in c.GetProperty("steps").EnumerateArray())
        {
            string at = $"{name} step {step++}";
            m.ZeroGrad();
            NormGolden.CheckForward(m, s, at, m.Weight, m.Bias);
            var buffers = m.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
            foreach (var b in s.GetProperty("buffers").EnumerateObject())
            {
                var mine = buffers[b.Name];
                if (b.Name == "num_batches_tracked")
                {
                    Assert.Equal(DType.Int64, mine.DType);
                    Assert.Equal(b.Value.GetProperty("data")[0].GetInt64(), mine.Item<long>());
                }
                else GoldenJson.AssertClose(b.Value, mine, 1e-5, $"{at} {b.Name}");
            }
        }
        m.Eval();
        m.ZeroGrad();
        NormGolden.CheckForward(m, c.GetProperty("eval"), name + " eval", m.Weight, null);
    }

    public static IEnumerable<object[]> BadInputs() =>
    [
        ["1d", new[] { 2, 3, 4, 5 }, "expected 2D or 3D input (got 4D input)"],
        ["1d", new[] { 3 }, "expected 2D or 3D input (got 1D input)"],
        ["2d", new[] { 2, 3, 4 }, "expected 4D input (got 3D input)"],
        ["1d", new[] { 1, 3 }, "Expected more than 1 value per channel when training, got input size torch.Size([1, 3])"],
        ["2d", new[] { 1, 3, 1, 1 }, "Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1, 1])"],
        ["1d", new[] { 4, 5 }, "running_mean should contain 5 elements not 3"],
    ];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputsFailWithPyTorchsMessages(string kind, int[] shape, string message)
    {
        BatchNormBase m = kind == "1d" ? new BatchNorm1d(3) : new BatchNorm2d(3);
        var e = Assert.Throws<ArgumentException>(() => m.Forward(Tensor.Zeros(shape)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void OneValuePerChannelIsFineInEvalMode()
    {
        var m = new BatchNorm1d(3);
        m.Eval();
        Assert.Equal([1, 3], m.Forward(Tensor.Ones(1, 3)).Shape);
    }

    [Fact]
    public void FunctionalEvalNeedsRunningStatistics()
    {
        var e = Assert.Throws<ArgumentException>(() => Descent.NN.Functional.BatchNorm(Tensor.Ones(2, 3), null, Tensor.Ones(3)));
        Assert.Equal("running_mean must be defined in evaluation mode", e.Message);
    }

    [Fact]
    public void StateDictRoundTripsBuffers()
    {
        var a = new BatchNorm1d(2);
        a.Forward(Tensor.FromArray(new float[] { 1, 2, 3, 5, 4, -1 }).Reshape(3, 2));
        var b = new BatchNorm1d(2);
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.RunningMean!.ToArray<float>(), b.RunningMean!.ToArray<float>());
        Assert.Equal(a.RunningVar!.ToArray<float>(), b.RunningVar!.ToArray<float>());
        Assert.Equal(1L, b.NumBatchesTracked!.Item<long>());
        b.ResetParameters();
        Assert.Equal(0L, b.NumBatchesTracked!.Item<long>());
        Assert.Equal([1f, 1f], b.RunningVar!.ToArray<float>());
    }

    [Fact]
    public void EvalOutputHasNoGraphToRunningStatistics()
    {
        var m = new BatchNorm1d(2);
        m.Forward(Tensor.FromArray(new float[] { 1, 2, 3, 5 }).Reshape(2, 2).RequiresGrad_());
        Assert.False(m.RunningMean!.RequiresGrad);
        Assert.Null(m.RunningMean!.GradFn);
    }
}
