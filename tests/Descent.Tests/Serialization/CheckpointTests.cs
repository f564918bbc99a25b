using Descent.Cli.Experiments;
using Descent.IO;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>Round trips through the Checkpoint helper, safetensors, the pickler, and atomic writes.</summary>
[Collection("GlobalGenerator")]
public class CheckpointTests
{
    private static string Temp(string ext = ".pt") => Path.Combine(Path.GetTempPath(), $"descent-ckpt-{Guid.NewGuid():N}{ext}");

    [Fact]
    public void CheckpointRestoresModelOptimizerRngEpochAndScheduler()
    {
        Torch.ManualSeed(4);
        var net = new TutorialNet();
        var opt = new RMSprop(net.Parameters(), lr: 0.01, momentum: 0.3);
        var x = Tensor.Linspace(-1, 1, 16).Unsqueeze(1);
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            new MSELoss().Forward(net.Forward(x), x.Pow(2)).Backward();
            opt.Step();
        }
        var path = Temp();
        try
        {
            Checkpoint.Save(path, net, opt, epoch: 7, schedulerState: new Dictionary<string, object?> { ["last_epoch"] = 7L, ["gamma"] = 0.5 }, extra: "note");
            var expectedRand = Tensor.Rand(4).ToArray();
            var netState = net.StateDict().ToDictionary(e => e.Key, e => e.Value.ToArray());
            var optBytes = TorchFile.ToBytes(OptimizerStateDicts.ToPy(opt.StateDict()));

            Torch.ManualSeed(99);
            var net2 = new TutorialNet();
            var opt2 = new RMSprop(net2.Parameters(), lr: 0.5);
            var info = Checkpoint.Load(path, net2, opt2);
            Assert.Equal(7, info.Epoch);
            Assert.Equal(0.5, info.SchedulerState!["gamma"]);
            Assert.Equal("note", info.Extra);
            Assert.Equal(expectedRand, Tensor.Rand(4).ToArray()); // the RNG continues where it was saved
            foreach (var (k, v) in net2.StateDict()) Assert.Equal(netState[k], v.ToArray());
            Assert.Equal(optBytes, TorchFile.ToBytes(OptimizerStateDicts.ToPy(opt2.StateDict())));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SafetensorsRoundTripsAndValidates()
    {
        Torch.ManualSeed(8);
        var net = new TutorialNet();
        var path = Temp(".safetensors");
        try
        {
            SafeTensors.Save(net.StateDict(), path, new Dictionary<string, string> { ["format"] = "pt" });
            var loaded = SafeTensors.Load(path, out var meta);
            Assert.Equal("pt", meta["format"]);
            foreach (var (k, v) in net.StateDict()) Assert.Equal(v.ToArray(), loaded[k].ToArray());
            var other = new TutorialNet();
            other.LoadStateDict(loaded);

            var mixed = new Dictionary<string, Tensor>
            {
                ["d"] = Tensor.FromArray(new[] { 1.5, -2 }, 2, 1), ["l"] = Tensor.FromArray(new long[] { 5, 6, 7 }),
                ["b"] = Tensor.FromArray(new[] { true, false }), ["s"] = Tensor.Scalar(2), ["t"] = Tensor.Arange(6).Reshape(2, 3).T(),
            };
            var back = SafeTensors.Load(new MemoryStream(SafeTensors.ToBytes(mixed)), out _);
            Assert.Equal(new[] { 1.5, -2 }, back["d"].ToArray<double>());
            Assert.Equal(new long[] { 5, 6, 7 }, back["l"].ToArray<long>());
            Assert.Equal(new[] { true, false }, back["b"].ToArray<bool>());
            Assert.Equal(0, back["s"].Dim);
            Assert.Equal(mixed["t"].ToArray<long>(), back["t"].ToArray<long>());

            // Overlap, gap, wrong size, out of bounds, huge header length: all refused.
            foreach (var header in new[]
            {
                """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
                """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
                """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""",
                """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""",
                """{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}""",
                """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            })
            {
                var h = System.Text.Encoding.UTF8.GetBytes(header);
                var file = new byte[8 + h.Length + 8];
                BitConverter.GetBytes((ulong)h.Length).CopyTo(file, 0);
                h.CopyTo(file, 8);
                Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file), out _));
            }
            var huge = new byte[16];
            BitConverter.GetBytes(ulong.MaxValue).CopyTo(huge, 0);
            Assert.Contains("header length", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(huge), out _)).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FailedSaveKeepsThePreviousFileAndLeavesNoTemporaries()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"descent-atomic-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.pt");
        try
        {
            Torch.Save(new List<object?> { 1L, "good" }, path);
            var good = File.ReadAllBytes(path);
            // Unsaveable value: the pickler throws before the file is touched.
            Assert.Throws<ArgumentException>(() => Torch.Save(new List<object?> { new object() }, path));
            // A writer that dies half-way: the old file stays.
            Assert.Throws<IOException>(() => AtomicFile.Write(path, s => { s.Write(new byte[100]); throw new IOException("disk full"); }));
            Assert.Equal(good, File.ReadAllBytes(path));
            Assert.Equal(new[] { "model.pt" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
            var cyclic = new List<object?>();
            cyclic.Add(cyclic);
            Assert.Contains("cycle", Assert.Throws<ArgumentException>(() => Torch.Save(cyclic, path)).Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void PicklerRoundTripsPlainData()
    {
        var shared = new PyTuple(1L, "x");
        var d = new PyDict();
        d["a"] = new List<object?> { shared, shared, -1L, 1L << 40, 0.1, null, true, "é" };
        d[3L] = (0.9, 0.999);
        var back = Assert.IsType<PyDict>(Unpickler.Load(new Pickler().Dump(d)));
        var list = Assert.IsType<List<object?>>(back["a"]);
        Assert.Same(list[0], list[1]); // memo preserved sharing
        Assert.Equal(new List<object?> { shared, shared, -1L, 1L << 40, 0.1, null, true, "é" }, list);
        Assert.Equal(new PyTuple(0.9, 0.999), back[3L]);
    }
}
