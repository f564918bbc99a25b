using System.Text.Json;
using Descent.IO;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Serialization;

/// <summary>The limits the readers enforce while they build, and the behaviours they protect.</summary>
public class LoaderLimitsTests
{
    private static byte[] Pickle(Action<HostileCorpus.P> body) => HostileCorpus.P.Proto(2).Then(body).Stop();

    [Fact]
    public void NestingPastTheLimitIsRefusedAsItIsBuiltEvenIfPoppedAfterwards()
    {
        // 1001 nested tuples, then thrown away: the result (None) is flat, but building it already broke the limit.
        var pkl = Pickle(p => { p.Op(0x29); for (int i = 0; i < 1001; i++) p.Op(0x85); p.Op(0x30); p.Op(0x4e); });
        var e = Assert.Throws<InvalidDataException>(() => Unpickler.Load(pkl));
        Assert.Contains("deeper than 1000", e.Message);
        // 1000 is allowed.
        var ok = Pickle(p => { p.Op(0x29); for (int i = 0; i < 999; i++) p.Op(0x85); });
        Assert.IsType<PyTuple>(Unpickler.Load(ok));
    }

    [Fact]
    public void AKeyReusedManyTimesRunsOutOfWorkNotTime()
    {
        var pkl = Pickle(p =>
        {
            p.Unicode(new string('k', 10_000)); p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d);
            for (int i = 0; i < 10_000; i++) { p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73); }
        });
        var e = Assert.Throws<InvalidDataException>(() => Unpickler.Load(pkl));
        Assert.Contains("units of work", e.Message);
        // The same key used a few times is ordinary (a state dict's memoised keys).
        var few = Pickle(p =>
        {
            p.Unicode(new string('k', 10_000)); p.Op(0x71, 0); p.Op(0x30); p.Op(0x7d);
            for (int i = 0; i < 10; i++) { p.Op(0x68, 0); p.Op(0x4e); p.Op(0x73); }
        });
        Assert.Equal(1, Assert.IsType<PyDict>(Unpickler.Load(few)).Count);
    }

    [Fact]
    public void MemoryIsBoundedByTheInputNotByWhatItDeclares()
    {
        // 50 000 empty lists: about 50 bytes of managed memory per input byte, over the 24 allowed per byte, so
        // refused without the fixed allowance and loaded with it (4 MiB).
        var pkl = Pickle(p => { p.Op(0x5d); p.Op(0x28); for (int i = 0; i < 50_000; i++) { p.Op(0x5d); } p.Op(0x65); });
        var e = Assert.Throws<InvalidDataException>(() => Unpickler.Load(pkl, limits: new PickleLimits { MemoryAllowance = 0 }));
        Assert.Contains("bytes of memory", e.Message);
        Assert.Equal(50_000, Assert.IsType<List<object?>>(Unpickler.Load(pkl)).Count);
    }

    [Fact]
    public void DeepTuplesHashCompareAndPrintWithoutRecursion()
    {
        PyTuple a = PyTuple.Empty, b = PyTuple.Empty;
        for (int i = 0; i < 1_000_000; i++) { a = new PyTuple(a); b = new PyTuple(b); }
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a.Equals(b));
        Assert.False(a.Equals(new PyTuple(b)));
        var d = new PyDict { [a] = 1L };
        Assert.True(d.ContainsKey(b));
        Assert.Equal("(((((...),),),),)", a.ToString()); // four levels shown, then elided
        var wide = new PyTuple([.. Enumerable.Range(0, 5).Select(i => (object?)new string('x', 500))]);
        Assert.True(wide.ToString().Length <= 201);
        // Value semantics as before: ints of any width and bools compare by value; tuples element-wise.
        Assert.Equal(new PyTuple(1L, "a", new PyTuple(2L)), new PyTuple(1, "a", new PyTuple(2L)));
        Assert.Equal(new PyTuple(1L, "a").GetHashCode(), new PyTuple(true, "a").GetHashCode());
        Assert.NotEqual(new PyTuple(1L, "a"), new PyTuple(1L, "b"));
    }

    [Fact]
    public void LegacyFileOfParametersLoadsAsPyTorchLoadsIt()
    {
        // torch.save(list(lin.parameters()), f, _use_new_zipfile_serialization=False) (tests/golden/gen_legacy_params.py)
        var loaded = Assert.IsType<List<object?>>(TorchFile.Load(Fixtures.Path_("params_legacy.pt")));
        var expected = Fixtures.Json("params_legacy.json").GetProperty("params");
        Assert.Equal(expected.GetArrayLength(), loaded.Count);
        int i = 0;
        foreach (var e in expected.EnumerateArray())
        {
            var t = Assert.IsType<Tensor>(loaded[i++]);
            Assert.Equal(Fixtures.Ints(e.GetProperty("shape")), t.Shape);
            Assert.Equal(e.GetProperty("requires_grad").GetBoolean(), t.RequiresGrad);
            Assert.Equal(Fixtures.Floats(e.GetProperty("values")), t.Detach().Reshape(-1).ToArray<float>());
        }
    }

    [Fact]
    public void LegacyStorageWhoseByteCountOverflowsIsRefusedBeforeLoading()
    {
        var c = HostileCorpus.All().Single(x => x.Name == "count-2^62+1");
        var e = Assert.Throws<InvalidDataException>(() => TorchFile.Load(new MemoryStream(c.Bytes)));
        Assert.Contains("needs 4611686018427387905 elements of 4 bytes", e.Message);
    }

    [Theory]
    [InlineData("size-65536^4.zip", "numel: integer multiplication overflow")]      // PyTorch 1.13's message for this file
    [InlineData("size-wraps-to-4.zip", "numel: integer multiplication overflow")]
    [InlineData("stride-wraps.zip", "tensor stride 4611686018427387904 is not a 32-bit integer")]
    [InlineData("size-2^31.zip", "tensor size 2147483648 is not a 32-bit integer")]
    public void WrappedTensorGeometryInAFileIsRefusedWithPyTorchsMessage(string name, string message)
    {
        var c = HostileCorpus.All().Single(x => x.Name == name);
        var e = Assert.Throws<InvalidDataException>(() => TorchFile.Load(new MemoryStream(c.Bytes)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void SaveRemovesTemporariesOfDeadProcessesOnly()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"descent-atomic-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string target = Path.Combine(dir, "ckpt.pt");
            string host = AtomicFile.Host;
            int dead = DeadPid();
            string g = new('a', 32);
            var stale = new[] { $".ckpt.pt.{host}.{dead}.{g}.tmp", $".ckpt.pt.{dead}.{g}.tmp" };
            var kept = new[]
            {
                $".ckpt.pt.{host}.1.{g}.tmp",                       // a live process (init)
                $".ckpt.pt.{host}.{Environment.ProcessId}.{g}.tmp",  // this process: maybe a save in flight
                $".ckpt.pt.other-host.{dead}.{g}.tmp",               // another machine's writer
                $".other.pt.{host}.{dead}.{g}.tmp",                  // another target
                $".ckpt.pt.{host}.{dead}.short.tmp",                 // not a name saves make
            };
            foreach (var name in stale.Concat(kept)) File.WriteAllBytes(Path.Combine(dir, name), new byte[100]);
            AtomicFile.WriteAllBytes(target, [1, 2, 3]);
            Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
            foreach (var name in stale) Assert.False(File.Exists(Path.Combine(dir, name)), name);
            foreach (var name in kept) Assert.True(File.Exists(Path.Combine(dir, name)), name);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int DeadPid()
    {
        // A process that has exited: its id is free (until reused, which a quick check after exit makes unlikely).
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
