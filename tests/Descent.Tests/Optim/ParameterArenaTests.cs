using Descent.Optim;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>ParameterArena: re-homed parameters keep their values and gradients, and a flat step equals per-tensor steps.</summary>
public class ParameterArenaTests
{
    private static List<Tensor> Params(int seed)
    {
        int[][] shapes = [[20, 1], [20], [1, 20], [1], [7, 3, 5]];
        var ps = new List<Tensor>();
        for (int k = 0; k < shapes.Length; k++)
        {
            var t = Tensor.Empty(shapes[k]);
            var s = t.AsSpan();
            for (int i = 0; i < s.Length; i++) s[i] = MathF.Sin(1 + i + 7 * k + 13 * seed) * 0.8f;
            ps.Add(t.RequiresGrad_());
        }
        return ps;
    }

    private static Tensor Loss(List<Tensor> ps)
    {
        Tensor? total = null;
        for (int k = 0; k < ps.Count; k++)
        {
            var term = (ps[k] * ps[k] * (1.0 + k) + ps[k] * 0.3).Sum();
            total = total is null ? term : total + term;
        }
        return total!;
    }

    [Fact]
    public void ParametersKeepValuesShapesAndGradientsAsViews()
    {
        var ps = Params(0);
        var before = ps.Select(p => p.ToArray()).ToList();
        ps[2].Grad = Tensor.FullLike(ps[2], 0.25);
        var arena = new ParameterArena(ps);
        Assert.Equal(ps.Sum(p => p.Numel), arena.Flat.Numel);
        int offset = 0;
        for (int k = 0; k < ps.Count; k++)
        {
            Assert.Same(arena.Flat.Storage, ps[k].Storage);
            Assert.Equal(before[k], ps[k].ToArray());
            Assert.Equal(before[k], arena.Flat.ToArray().AsSpan(offset, ps[k].Numel).ToArray());
            Assert.Equal(k == 2 ? 0.25f : 0f, ps[k].Grad!.ToArray()[0]);
            Assert.Same(arena.FlatGrad.Storage, ps[k].Grad!.Storage);
            offset += ps[k].Numel;
        }
        arena.Flat.AsSpan()[20] = 42f; // the first element of the second parameter
        Assert.Equal(42f, ps[1].ToArray()[0]);
    }

    [Theory]
    [InlineData("Adam", false)]
    [InlineData("Adam", true)]
    [InlineData("SGD", true)]
    [InlineData("RMSprop", false)]
    public void FlatStepsEqualPerTensorSteps(string name, bool setToNone)
    {
        var separate = Params(1);
        var rehomed = Params(1);
        var arena = new ParameterArena(rehomed);
        var options = new Dictionary<string, object?> { ["lr"] = 0.01 };
        if (name == "SGD") options["momentum"] = 0.9;
        var a = OptimizerRegistry.Create(name, [new ParamGroup(separate)], options);
        var b = OptimizerRegistry.Create(name, [new ParamGroup([arena.Flat])], options);
        using var gather = arena.Attach(b);
        for (int step = 0; step < 5; step++)
        {
            a.ZeroGrad(setToNone);
            // The optimizer holds only Flat: the parameters' gradients are zeroed by the arena (or set to None and
            // gathered again by the step's pre-hook).
            if (setToNone) foreach (var p in rehomed) p.Grad = null;
            else arena.ZeroGrad();
            Loss(separate).Backward();
            Loss(rehomed).Backward();
            a.Step();
            b.Step();
            for (int k = 0; k < separate.Count; k++)
                KernelTestData.AssertSameBits(separate[k].ToArray(), rehomed[k].ToArray(), $"{name} step {step} parameter {k}");
        }
    }

    [Fact]
    public void RefusesWhatItCannotHold()
    {
        var ps = Params(2);
        Assert.Throws<ArgumentException>(() => new ParameterArena([ps[0], ps[0]]));
        Assert.Throws<ArgumentException>(() => new ParameterArena([ps[0] * 2]));
        Assert.Throws<ArgumentException>(() => new ParameterArena([Tensor.Zeros([3], DType.Float64)]));
    }
}
