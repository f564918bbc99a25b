using System.Diagnostics;
using System.Text;
using Descent.Cli.Experiments;
using Descent.Optim;
using Descent.Serialization;
using Descent.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Serialization;

/// <summary>
/// Mutation fuzzing of every loader. Contract: for any input bytes a loader either returns or throws
/// <see cref="InvalidDataException"/> (applying a loaded state may also throw <see cref="ArgumentException"/> for a
/// mismatch); it never crashes with another exception, never hangs, and never allocates much more than the input.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int CasesPerSeed = 1000;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);

    private static readonly string[] TorchSeeds =
    [
        "optim_adam.pt", "optim_rmsprop.pt", "net_state.pt", "net_state_legacy.pt", "misc.pt", "misc_p4.pt", "plain_p0.pt",
        "descent/checkpoint.pt", "modules/mlp.pt", "modules/mlp_legacy.pt", "wild/v2_adam_deflated.pt", "wild/bf16_state.pt",
    ];

    [Fact]
    [Trait("Category", "Timing")]
    public void MutatedFilesOnlyEverThrowInvalidDataException()
    {
        var rng = new Random(20240607);
        var clock = Stopwatch.StartNew();
        int cases = 0, accepted = 0;
        foreach (var seed in TorchSeeds)
        {
            var original = File.ReadAllBytes(Fixtures.Path_(seed));
            for (int i = 0; i < CasesPerSeed; i++, cases++)
            {
                var mutated = Mutate(original, rng);
                if (RunCase($"{seed} #{i}", mutated, LoadTorch)) accepted++;
            }
            // The pickle VM itself, past the zip CRC: mutate data.pkl and re-pack it with valid checksums.
            if (seed.Contains("legacy")) continue;
            var (pkl, storages) = Unpack(original);
            for (int i = 0; i < CasesPerSeed / 2; i++, cases++)
            {
                var repacked = Repack(Mutate(pkl, rng), storages);
                if (RunCase($"{seed} data.pkl #{i}", repacked, LoadTorch)) accepted++;
            }
        }
        foreach (var (seed, floatingPoint) in new[] { ("descent/net.safetensors", (DType?)null), ("wild/bf16.safetensors", DType.Float32) })
        {
            var st = File.ReadAllBytes(Fixtures.Path_(seed));
            for (int i = 0; i < CasesPerSeed * 2; i++, cases++)
            {
                var mutated = i % 2 == 0 ? Mutate(st, rng) : MutateSafetensorsHeader(st, rng);
                if (RunCase($"{seed} #{i}", mutated, b => SafeTensors.Load(new MemoryStream(b), out _, floatingPoint))) accepted++;
            }
        }
        output.WriteLine($"{cases} cases ({accepted} still loaded) in {clock.Elapsed.TotalSeconds:F1} s");
        int zipSeeds = TorchSeeds.Count(s => !s.Contains("legacy", StringComparison.Ordinal));
        Assert.Equal(TorchSeeds.Length * CasesPerSeed + zipSeeds * CasesPerSeed / 2 + 2 * 2 * CasesPerSeed, cases);
        // Mutation must leave some files loadable and break others, or it is not exploring both sides.
        Assert.InRange(accepted, 100, cases - 1000);
    }

    /// <summary>
    /// The structural attacks of the hostile corpus, mutated: variants of deep nesting, reused keys, floods, wrapped
    /// geometry and overlapping records that the rules did not write out (each file under 256 KB, four mutants each,
    /// the zip ones through their data.pkl as well).
    /// </summary>
    [Fact]
    public void MutatedHostileFilesOnlyEverThrowInvalidDataException()
    {
        var rng = new Random(20261203);
        int cases = 0, accepted = 0;
        foreach (var c in HostileCorpus.All())
        {
            if (c.Bytes.Length > 256 << 10) continue;
            for (int i = 0; i < 4; i++, cases++)
                if (RunCase($"{c} #{i}", Mutate(c.Bytes, rng), LoadTorch)) accepted++;
            if (!c.Name.EndsWith(".zip", StringComparison.Ordinal)) continue;
            var (pkl, storages) = Unpack(c.Bytes);
            for (int i = 0; i < 2; i++, cases++)
                if (RunCase($"{c} data.pkl #{i}", Repack(Mutate(pkl, rng), storages), LoadTorch)) accepted++;
        }
        output.WriteLine($"{cases} cases ({accepted} still loaded)");
        Assert.InRange(cases, 2000, 5000);
    }

    private static void LoadTorch(byte[] bytes)
    {
        var obj = TorchFile.Load(new MemoryStream(bytes));
        // The conversions are part of every loader's path too.
        try { ModuleStateDicts.FromPy(obj); } catch (InvalidDataException) { }
        try
        {
            var sd = OptimizerStateDicts.FromPy(obj);
            var net = new TutorialNet();
            new Adam(net.Parameters()).LoadStateDict(sd);
        }
        catch (InvalidDataException) { }
        catch (ArgumentException) { } // a well-formed state that does not fit this optimizer
    }

    /// <summary>Runs one case; true when the input still loaded. Fails on any other exception, a hang, or a big allocation.</summary>
    private static bool RunCase(string name, byte[] input, Action<byte[]> load)
    {
        long allocated = 0;
        Exception? error = null;
        bool ok = false;
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { load(input); ok = true; }
            catch (InvalidDataException e) when (!e.Data.Contains(LoaderGuard.UnexpectedKey)) { }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.True(task.Wait(PerCase), $"{name}: loader did not finish within {PerCase.TotalSeconds} s");
        if (error is not null) Assert.Fail($"{name}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
        // Generous constant: parsing builds objects and tensors from the input (compressed entries counted inflated),
        // but never from a declared size.
        long budget = 64L * TorchFile.ContentLength(input) + (4 << 20);
        Assert.True(allocated <= budget, $"{name}: allocated {allocated} bytes for a {input.Length}-byte input");
        return ok;
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var b = new List<byte>(original);
        int kind = rng.Next(6);
        switch (kind)
        {
            case 0: // bit flips
                for (int n = rng.Next(1, 5); n > 0; n--) { int p = rng.Next(b.Count); b[p] ^= (byte)(1 << rng.Next(8)); }
                break;
            case 1: // truncation
            {
                int keep = rng.Next(b.Count);
                b.RemoveRange(keep, b.Count - keep);
                break;
            }
            case 2: // insertions
                for (int n = rng.Next(1, 9); n > 0; n--) b.Insert(rng.Next(b.Count + 1), (byte)rng.Next(256));
                break;
            case 3: // deletions
                for (int n = rng.Next(1, 9); n > 0 && b.Count > 0; n--) b.RemoveAt(rng.Next(b.Count));
                break;
            default: // overwrite a field with an interesting value
                byte[][] values = [[0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0x7f], [0, 0, 0, 0x80], [0, 0, 0, 0], [0x7f], [0x80], [0xff, 0xff], [1, 0, 0, 0, 0, 0, 0, 1]];
                var v = values[rng.Next(values.Length)];
                int at = rng.Next(b.Count);
                // Bias towards zip header fields: just after a "PK" signature.
                if (kind == 5 && FindSignature(b, rng) is int sig) at = Math.Min(b.Count - 1, sig + rng.Next(4, 46));
                for (int j = 0; j < v.Length && at + j < b.Count; j++) b[at + j] = v[j];
                break;
        }
        return b.ToArray();
    }

    private static int? FindSignature(List<byte> b, Random rng)
    {
        var starts = new List<int>();
        for (int i = 0; i + 1 < b.Count; i++) if (b[i] == (byte)'P' && b[i + 1] == (byte)'K') starts.Add(i);
        return starts.Count == 0 ? null : starts[rng.Next(starts.Count)];
    }

    private static byte[] MutateSafetensorsHeader(byte[] original, Random rng)
    {
        ulong n = BitConverter.ToUInt64(original, 0);
        var header = Encoding.UTF8.GetString(original, 8, (int)n);
        string[] numbers = ["0", "-1", "1", "4294967296", "9223372036854775807", "18446744073709551615", "1e3", "\"x\"", "null", "[]"];
        var digits = new List<int>();
        for (int i = 0; i < header.Length; i++) if (char.IsDigit(header[i]) && (i == 0 || !char.IsDigit(header[i - 1]))) digits.Add(i);
        string edited = header;
        if (rng.Next(4) == 0)
        {
            var lengths = new ulong[] { 0, n - 1, n + 1, (ulong)original.Length, ulong.MaxValue, 100_000_001 };
            var copy = (byte[])original.Clone();
            BitConverter.GetBytes(lengths[rng.Next(lengths.Length)]).CopyTo(copy, 0);
            return copy;
        }
        if (digits.Count > 0)
        {
            int at = digits[rng.Next(digits.Count)], end = at;
            while (end < header.Length && char.IsDigit(header[end])) end++;
            edited = header[..at] + numbers[rng.Next(numbers.Length)] + header[end..];
        }
        if (rng.Next(3) == 0) edited = edited.Replace("\"F32\"", rng.Next(2) == 0 ? "\"F16\"" : "\"Q7\"");
        if (rng.Next(5) == 0) edited = edited.Replace("\"dtype\"", "\"dtype\",\"dtype\":\"F32\"");
        var h = Encoding.UTF8.GetBytes(edited);
        var result = new byte[8 + h.Length + (original.Length - 8 - (int)n)];
        BitConverter.GetBytes((ulong)h.Length).CopyTo(result, 0);
        h.CopyTo(result, 8);
        Array.Copy(original, 8 + (int)n, result, 8 + h.Length, original.Length - 8 - (int)n);
        return result;
    }

    private static (byte[] Pkl, List<(string Name, byte[] Data)> Others) Unpack(byte[] zipBytes)
    {
        var zip = new ZipReader(new MemoryStream(zipBytes));
        byte[]? pkl = null;
        var rest = new List<(string, byte[])>();
        foreach (var name in zip.Names)
        {
            int slash = name.IndexOf('/');
            string local = name[(slash + 1)..];
            if (local == "data.pkl") pkl = zip.Read(name);
            else rest.Add((local, zip.Read(name)));
        }
        return (pkl!, rest);
    }

    private static byte[] Repack(byte[] pkl, List<(string Name, byte[] Data)> rest)
    {
        using var ms = new MemoryStream();
        var zip = new ZipWriter(ms);
        zip.Add("archive/data.pkl", pkl);
        foreach (var (n, d) in rest) zip.Add("archive/" + n, d);
        zip.Finish();
        return ms.ToArray();
    }
}
