using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// int32 tensors load as int32 (torch.int32's <c>IntStorage</c>, safetensors' <c>I32</c>) and are written back in
/// the same storage class, values exact at both ends of the range.
/// </summary>
public class Int32FileTests
{
    private static readonly int[] Values = [int.MinValue, 7, int.MaxValue, -1];

    [Fact]
    public void TorchSaveRoundTripKeepsInt32()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-int32-{Guid.NewGuid():N}.pt");
        try
        {
            Torch.Save(new Dictionary<string, Tensor> { ["idx"] = Tensor.FromArray(Values, 2, 2) }, path);
            Tensor t = Torch.Load(path)["idx"];
            Assert.Equal(DType.Int32, t.DType);
            Assert.Equal([2, 2], t.Shape);
            Assert.Equal(Values, t.ToArray<int>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SafeTensorsRoundTripKeepsInt32()
    {
        var bytes = SafeTensors.ToBytes(new Dictionary<string, Tensor> { ["idx"] = Tensor.FromArray(Values, 4) });
        // The header names the dtype as the format does.
        Assert.Contains("\"dtype\":\"I32\"", System.Text.Encoding.UTF8.GetString(bytes));
        var loaded = SafeTensors.Load(new MemoryStream(bytes), out _);
        Assert.Equal(DType.Int32, loaded["idx"].DType);
        Assert.Equal(Values, loaded["idx"].ToArray<int>());
    }
}
