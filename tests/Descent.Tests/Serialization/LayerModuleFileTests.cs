using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// Whole modules with convolution, pooling and the further activations: a CNN saved by <c>torch.save(net)</c>
/// (tests/golden/gen_layers.py) loads and predicts PyTorch's outputs, and Descent's whole-module file of it loads
/// back with the same classes, attributes and values.
/// </summary>
public class LayerModuleFileTests
{
    private static string PathOf(string name) => Fixtures.Path_(Path.Combine("modules", name));

    [Fact]
    public void CnnSavedWholeByPyTorchPredictsPyTorchsOutputs()
    {
        var json = Fixtures.Json(Path.Combine("modules", "cnn.json"));
        Module loaded = Torch.Load(PathOf("cnn.pt"));
        var net = Assert.IsType<Sequential>(loaded);
        Assert.Equal(json.GetProperty("repr").GetString(), net.ToString());
        var y = net.Forward(GoldenJson.Tensor(json.GetProperty("input")));
        GoldenJson.AssertClose(json.GetProperty("output"), y, what: "cnn output");
    }

    [Fact]
    public void DescentsWholeModuleFileLoadsBack()
    {
        Module loaded = Torch.Load(PathOf("cnn.pt"));
        var path = Path.Combine(Path.GetTempPath(), $"descent-cnn-{Guid.NewGuid():N}.pt");
        try
        {
            Torch.Save(loaded, path);
            Module again = Torch.Load(path);
            Assert.Equal(loaded.ToString(), again.ToString());
            var x = Tensor.Randn(1, 1, 9, 9);
            Assert.Equal(loaded.Forward(x).ToArray(), again.Forward(x).ToArray());
            var oneD = new Sequential(new Conv1d(2, 3, 3, padding: "same"), new MaxPool1d(2, ceilMode: true), new AvgPool1d(2), new LeakyReLU(0.2),
                new ELU(0.5), new Hardtanh(-2, 2), new Hardswish(), new Mish());
            Torch.Save(oneD, path);
            Module back = Torch.Load(path);
            Assert.Equal(oneD.ToString(), back.ToString());
            var z = Tensor.Randn(2, 2, 8);
            Assert.Equal(oneD.Forward(z).ToArray(), back.Forward(z).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
