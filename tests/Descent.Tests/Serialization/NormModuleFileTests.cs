using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>
/// A whole module saved by PyTorch (Golden/norm_net.pt from tests/golden/gen_norm.py) holding BatchNorm1d/2d,
/// LayerNorm, GroupNorm and Embedding: rebuilt with their attributes and buffers, predicting PyTorch's outputs,
/// and written back by Descent to a file that loads the same.
/// </summary>
public class NormModuleFileTests
{
    private static string FilePath => Path.Combine(AppContext.BaseDirectory, "Golden", "norm_net.pt");

    private static void CheckLoaded(Sequential net)
    {
        var saved = NormGolden.Root.GetProperty("saved");
        Assert.Equal(5, net.Count);
        var bn = Assert.IsType<BatchNorm1d>(net[0]);
        Assert.Null(bn.Momentum);
        Assert.Equal(1L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal(["0.weight", "0.bias", "0.running_mean", "0.running_var", "0.num_batches_tracked"], net.StateDict().Keys.Take(5));
        var emb = Assert.IsType<Embedding>(net[4]);
        Assert.Equal(saved.GetProperty("emb_repr").GetString(), emb.ToString());
        GoldenJson.AssertClose(saved.GetProperty("emb_weight"), emb.Weight, 0, "embedding weight");
        net.Eval();
        var x = GoldenJson.Tensor(saved.GetProperty("x"));
        GoldenJson.AssertClose(saved.GetProperty("y"), net[2].Forward(net[1].Forward(net[0].Forward(x))), 1e-5, "net output");
        Assert.Equal(saved.GetProperty("net_repr").GetString()!.Replace(")\n)", ")\n  (4): " + emb + "\n)"), net.ToString());
    }

    [Fact]
    public void PyTorchsFileLoadsAndPredicts() => CheckLoaded(Assert.IsType<Sequential>((Module)Torch.Load(FilePath)));

    [Fact]
    public void DescentWritesItBackLoadable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"descent-norm-{Guid.NewGuid():N}.pt");
        try
        {
            Module loaded = Torch.Load(FilePath);
            Torch.Save(loaded, path);
            CheckLoaded(Assert.IsType<Sequential>((Module)Torch.Load(path)));
        }
        finally { File.Delete(path); }
    }
}
