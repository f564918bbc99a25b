using Descent.Optim;
using Descent.Tensors;
using Xunit;
using static Descent.Tests.Optim.KernelTestData;

namespace Descent.Tests.Optim;

/// <summary>
/// Checks every optimizer the registry knows gets without test code of its own (see <see cref="OptimizerCases"/>), with
/// float32 and with float64 parameters: its state dict reloads to the same entries, bit for bit and in order, and its
/// steps give the same bits at every vector width, so each vectorised kernel matches its scalar reference inside a real
/// step (width 0 runs the references alone).
/// </summary>
public class EveryOptimizerTests
{
    public static IEnumerable<object[]> All() => OptimizerCases.AllDTypes();

    // Two matrices with vector tails at both widths (185 = 11·16 + 9 = 23·8 + 1 elements) and a tiny one.
    private static List<Tensor> Params(DType dtype)
    {
        int[][] shapes = [[5, 37], [16, 16], [1, 3]];
        var ps = new List<Tensor>();
        for (int k = 0; k < shapes.Length; k++)
        {
            var v = new float[shapes[k][0] * shapes[k][1]];
            var w = new double[v.Length];
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = MathF.Sin(0.7f * i + 3 * k) * 0.9f;
                w[i] = Math.Sin(0.7 * i + 3 * k) * 0.9;
            }
            ps.Add((dtype == DType.Float64 ? Tensor.FromArray(w, shapes[k]) : Tensor.FromArray(v, shapes[k])).RequiresGrad_());
        }
        return ps;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void StateDictReloadsToTheSameEntries(string name, int config, DType dtype)
    {
        var ps = Params(dtype);
        var opt = OptimizerCases.Make(name, config, ps);
        for (int i = 0; i < 3; i++) OptimizerCases.StepOnce(opt);
        var saved = opt.StateDict();
        var fresh = OptimizerCases.Make(name, config, ps.Select(p => p.Detach().Clone().RequiresGrad_()).ToList());
        fresh.LoadStateDict(saved);
        var reloaded = fresh.StateDict();
        Assert.Equal(saved.State.Keys, reloaded.State.Keys);
        foreach (var (id, entries) in saved.State)
        {
            var again = reloaded.State[id];
            Assert.Equal(entries.Keys, again.Keys); // the same keys in the same order
            foreach (var (key, value) in entries)
            {
                var other = again[key];
                if (value is Tensor t)
                {
                    var u = Assert.IsType<Tensor>(other);
                    Assert.NotSame(t, u); // a private copy
                    Assert.Equal(t.DType, u.DType);
                    Assert.Equal(t.Shape, u.Shape);
                    AssertSameBits(t, u, $"{name} config {config} {dtype}, state {id} '{key}'");
                }
                else Assert.Equal(Describe(value), Describe(other));
            }
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void StepsGiveTheSameBitsAtEveryVectorWidth(string name, int config, DType dtype)
    {
        var expected = Run(name, config, dtype, width: 0);
        foreach (int width in Widths.Where(w => w != 0))
        {
            var actual = Run(name, config, dtype, width);
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
                AssertSameBits(expected[i], actual[i], $"{name} config {config} {dtype}, width {width}, tensor {i}", nanAsOne: true);
        }
    }

    // Three steps at `width`; the parameters and every floating state tensor, copied.
    private static List<Tensor> Run(string name, int config, DType dtype, int width)
    {
        var ps = Params(dtype);
        var opt = OptimizerCases.Make(name, config, ps);
        RunAtWidth(width, () =>
        {
            for (int i = 0; i < 3; i++) OptimizerCases.StepOnce(opt);
        });
        var result = ps.Select(p => p.Detach().Clone()).ToList();
        foreach (var (_, entries) in opt.StateDict().State)
            foreach (var (_, v) in entries)
                if (v is Tensor t && t.DType.IsFloatingPoint()) result.Add(t.Detach().Clone());
        return result;
    }

    private static string Describe(object? v) => v switch
    {
        null => "None",
        Tensor { DType: DType.Float64 } t => string.Join(",", t.ToArray<double>().Select(BitConverter.DoubleToInt64Bits)),
        Tensor t => string.Join(",", t.ToArray().Select(f => BitConverter.SingleToInt32Bits(f))),
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>().Select(Describe)) + "]",
        _ => $"{v} ({v.GetType().Name})",
    };
}
