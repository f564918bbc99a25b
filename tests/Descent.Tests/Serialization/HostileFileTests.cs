using System.Text;
using Descent.Cli.Experiments;
using Descent.NN;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>Hostile and malformed inputs: refused with <see cref="InvalidDataException"/>, nothing run, targets untouched.</summary>
[Collection("GlobalGenerator")]
public class HostileFileTests
{
    private static byte[] ZipWith(byte[] pkl, params (string Name, byte[] Data)[] more) => HostileCorpus.Zip(pkl, more);

    private static string TempFile(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"descent-hostile-{Guid.NewGuid():N}.pt");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("cos\nsystem\n(S'touch {0}'\ntR.", "os.system")]
    [InlineData("cposix\nsystem\n(S'touch {0}'\ntR.", "posix.system")]
    [InlineData("c__builtin__\neval\n(S'open(\"{0}\",\"w\")'\ntR.", "builtins.eval")]
    [InlineData("csubprocess\nPopen\n((S'touch'\nS'{0}'\nltR.", "subprocess.Popen")]
    public void CommandRunningPickleIsRefusedAndRunsNothing(string template, string global)
    {
        var marker = Path.Combine(Path.GetTempPath(), $"descent-pwned-{Guid.NewGuid():N}");
        var pkl = Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker));
        var path = TempFile(ZipWith(pkl));
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Torch.Load(path));
            Assert.Contains(global, e.Message);
            Assert.False(File.Exists(marker), "the hostile pickle ran a command");
            // The same bytes as a bare pickle and through a protocol-4 STACK_GLOBAL are refused too.
            Assert.Throws<InvalidDataException>(() => Unpickler.Load(pkl));
            var parts = global.Split('.');
            var stackGlobal = new List<byte> { 0x80, 4 };
            foreach (var s in parts) { stackGlobal.Add(0x8c); stackGlobal.Add((byte)s.Length); stackGlobal.AddRange(Encoding.ASCII.GetBytes(s)); }
            stackGlobal.AddRange(new byte[] { 0x93, (byte)')', (byte)'R', (byte)'.' });
            Assert.Contains(global, Assert.Throws<InvalidDataException>(() => Unpickler.Load(stackGlobal.ToArray())).Message);
            Assert.False(File.Exists(marker));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("__main__", "Net")]
    [InlineData("torch.nn.modules.conv", "ConvTranspose2d")]
    [InlineData("evil_models", "Backdoor")]
    public void WholeModuleOfAClassOutsideTheAllowListIsRefusedAndRunsNothing(string module, string name)
    {
        // torch.save(model) of an unknown class, whose state holds a posix.system call: a Python unpickler would import
        // the class (running its module) and then make the call. Refused at the class's name; nothing after it runs.
        var marker = Path.Combine(Path.GetTempPath(), $"descent-pwned-{Guid.NewGuid():N}");
        var pkl = Encoding.Latin1.GetBytes($"\u0080\u0002c{module}\n{name}\n)\u0081}}X\u0003\u0000\u0000\u0000cmdcposix\nsystem\n(S'touch {marker}'\ntRsb.");
        var path = TempFile(ZipWith(pkl));
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Torch.Load(path));
            Assert.Contains($"'{module}.{name}'", e.Message, StringComparison.Ordinal);
            Assert.Contains("model.state_dict()", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("posix", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(marker), "the hostile pickle ran a command");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void HalfPrecisionSafetensorsEntriesAreCheckedLikeAnyOther()
    {
        // Spans that do not match numel x 2, shapes whose product overflows: refused before allocating, on request too.
        static byte[] File1(string entry)
        {
            var header = Encoding.UTF8.GetBytes("{" + entry + "}");
            var bytes = new byte[8 + header.Length + 8];
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)header.Length);
            header.CopyTo(bytes, 8);
            return bytes;
        }
        string[] entries =
        [
            "\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}",
            "\"w\":{\"dtype\":\"F16\",\"shape\":[8],\"data_offsets\":[0,8]}",
            "\"w\":{\"dtype\":\"BF16\",\"shape\":[65536,65536,65536],\"data_offsets\":[0,8]}",
            "\"w\":{\"dtype\":\"F16\",\"shape\":[-4],\"data_offsets\":[0,8]}",
            "\"w\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,9]}",
        ];
        foreach (var entry in entries)
        {
            var file = File1(entry);
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file), out _, DType.Float32));
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file), out _));
        }
        var ok = File1("\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]}");
        ok.AsSpan(ok.Length - 8).Fill(0x3f); // bfloat16 0x3f3f
        Assert.Equal(Enumerable.Repeat(BitConverter.Int32BitsToSingle(0x3f3f << 16), 4), SafeTensors.Load(new MemoryStream(ok), out _, DType.Float32)["w"].ToArray());
    }

    [Theory]
    [InlineData("]q\u0000h\u0000a.", "cycle")]                       // a list appended to itself
    [InlineData("}q\u0000S'k'\nh\u0000s.", "cycle")]                  // a dict holding itself
    [InlineData("K\u0001K\u0002.", "STOP with 2 values")]
    [InlineData("h\u0005.", "memo key 5")]
    [InlineData("X\u00ff\u00ff\u00ff\u007fabc.", "only")]                 // a 2 GiB string in a few bytes
    [InlineData("\u008a\u00ff", "declares")]                           // LONG1 longer than the input
    [InlineData("(K\u0001", "ends before")]
    [InlineData("\u008f.", "sets")]
    [InlineData("\u0082\u0001.", "extension")]
    [InlineData("ccollections\nOrderedDict\n.", "as a value")]
    [InlineData("ctorch._utils\n_rebuild_tensor_v2\n(K\u0000K\u0000))\u0089NtR.", "storage")]
    public void MalformedPicklesAreRefused(string pickle, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Unpickler.Load(Encoding.Latin1.GetBytes(pickle)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void DeepNestingIsRefusedWithoutRecursion()
    {
        // 50 000 nested lists: MARK … MARK LIST … LIST.
        var sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++) sb.Append('(');
        for (int i = 0; i < 50_000; i++) sb.Append('l');
        sb.Append('.');
        var e = Assert.Throws<InvalidDataException>(() => Unpickler.Load(Encoding.ASCII.GetBytes(sb.ToString())));
        Assert.Contains("deeper", e.Message);
    }

    [Fact]
    public void StorageShorterThanDeclaredIsRefusedBeforeAllocating()
    {
        // The pid declares 1e12 floats; the record holds 8 bytes.
        var pkl = Encoding.Latin1.GetBytes(
            "\u0080\u0002ctorch._utils\n_rebuild_tensor_v2\n((X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpu\u008a\u0006\u0000\u0010\u00a5\u00d4\u00e8\u0000tQK\u0000K\u0002\u0085K\u0001\u0085\u0089ccollections\nOrderedDict\n)RtR.");
        var path = TempFile(ZipWith(pkl, ("data/0", new byte[8])));
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Torch.Load(path));
            Assert.Contains("declares", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ViewPastTheEndOfItsStorageIsRefused()
    {
        var pkl = Encoding.Latin1.GetBytes(
            "\u0080\u0002ctorch._utils\n_rebuild_tensor_v2\n((X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0002tQK\u0001K\u0002\u0085K\u0001\u0085\u0089ccollections\nOrderedDict\n)RtR.");
        var path = TempFile(ZipWith(pkl, ("data/0", new byte[8])));
        try { Assert.Contains("view reaches", Assert.Throws<InvalidDataException>(() => Torch.Load(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void WrongMagicAndEmptyFilesAreRefused()
    {
        foreach (var bytes in new[] { Array.Empty<byte>(), "hello world"u8.ToArray(), new byte[] { 0x80, 0x02, (byte)'K', 1, (byte)'.' } })
        {
            var path = TempFile(bytes);
            try { Assert.Throws<InvalidDataException>(() => Torch.Load(path)); }
            finally { File.Delete(path); }
        }
    }

    [Fact]
    public void FailedLoadsLeaveModelAndOptimizerUnchanged()
    {
        Torch.ManualSeed(2);
        var net = new TutorialNet();
        var opt = new Adam(net.Parameters(), lr: 0.01);
        var x = Tensor.Linspace(-1, 1, 8).Unsqueeze(1);
        new MSELoss().Forward(net.Forward(x), x).Backward();
        opt.Step();
        var before = net.StateDict().ToDictionary(e => e.Key, e => e.Value.ToArray());
        var optBefore = TorchFile.ToBytes(OptimizerStateDicts.ToPy(opt.StateDict()));

        // A corrupted copy of a real checkpoint.
        var good = Path.Combine(Path.GetTempPath(), $"descent-good-{Guid.NewGuid():N}.pt");
        Checkpoint.Save(good, net, opt, epoch: 1);
        var bytes = File.ReadAllBytes(good);
        bytes[bytes.Length / 2] ^= 0x40;
        var bad = TempFile(bytes);
        // A mismatched one: a different-sized network.
        var other = Path.Combine(Path.GetTempPath(), $"descent-other-{Guid.NewGuid():N}.pt");
        var wide = new TutorialNet(hiddenUnits: 30);
        Checkpoint.Save(other, wide, new Adam(wide.Parameters()), epoch: 1);
        var wideOptimizer = Path.Combine(Path.GetTempPath(), $"descent-wideopt-{Guid.NewGuid():N}.pt");
        var wideAdam = new Adam(wide.Parameters());
        new MSELoss().Forward(wide.Forward(x), x).Backward();
        wideAdam.Step();
        wideAdam.Save(wideOptimizer);
        // Matching model, optimizer state for a different optimizer layout (2 groups).
        var twoGroups = Path.Combine(Path.GetTempPath(), $"descent-2g-{Guid.NewGuid():N}.pt");
        var same = new TutorialNet();
        var ps = same.Parameters().ToArray();
        Checkpoint.Save(twoGroups, same, new Adam(new[] { new ParamGroup(ps[..2]), new ParamGroup(ps[2..]) }), epoch: 1);
        try
        {
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(bad, net, opt));
            Assert.Contains("hidden.weight", Assert.Throws<InvalidOperationException>(() => Checkpoint.Load(other, net, opt)).Message);
            Assert.Contains("parameter groups", Assert.Throws<ArgumentException>(() => Checkpoint.Load(twoGroups, net, opt)).Message);
            Assert.Throws<InvalidDataException>(() => opt.Load(other)); // a checkpoint, not an optimizer state dict
            Assert.Throws<ArgumentException>(() => opt.Load(wideOptimizer));
            foreach (var (k, v) in net.StateDict()) Assert.Equal(before[k], v.ToArray());
            Assert.Equal(optBefore, TorchFile.ToBytes(OptimizerStateDicts.ToPy(opt.StateDict())));
        }
        finally
        {
            File.Delete(good);
            File.Delete(bad);
            File.Delete(other);
            File.Delete(twoGroups);
            File.Delete(wideOptimizer);
        }
    }
}
