using System.Text.Json;
using Descent.Optim;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Descent.Tests.Optim;

/// <summary>
/// <c>differentiable=True</c>: the step is recorded by autograd, so a loss of the stepped parameters differentiates
/// back through the steps (to the parameter before them and to what the gradients were made of), as PyTorch's does
/// (Golden/differentiable.json, tests/golden/gen_differentiable.py); its numbers are the kernel path's, or within
/// float rounding where PyTorch's differentiable path takes another formula (Adam's capturable form).
/// </summary>
public class DifferentiableStepTests(ITestOutputHelper output)
{
    private static JsonElement Cases => GoldenJson.Load("differentiable.json").GetProperty("cases");

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.GetArrayLength(); i++) data.Add(i);
        return data;
    }

    private static Tensor Make(JsonElement values, DType dtype) => dtype == DType.Float64
        ? Tensor.FromArray(GoldenJson.Numbers(values))
        : Tensor.FromArray(Array.ConvertAll(GoldenJson.Numbers(values), v => (float)v));

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void GradientsThroughTheStepsArePyTorchs(int index)
    {
        var c = Cases[index];
        var dtype = c.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32;
        string name = c.GetProperty("optimizer").GetString()!;
        var w = Make(c.GetProperty("w"), dtype).RequiresGrad_();
        var u = Make(c.GetProperty("u"), dtype).RequiresGrad_();
        var a = Make(c.GetProperty("a"), dtype);
        var coeffs = GoldenJson.Numbers(c.GetProperty("coeffs"));
        var options = new Dictionary<string, object?> { ["differentiable"] = true };
        foreach (var o in c.GetProperty("options").EnumerateObject()) options[o.Name] = o.Value;
        var p = w.Clone(); // a non-leaf: a differentiable optimizer takes it
        var opt = OptimizerRegistry.Create(name, [new ParamGroup([p])], options);
        for (int k = 0; k < c.GetProperty("steps").GetInt32(); k++)
        {
            p.Grad = Make(c.GetProperty("grads")[k], dtype) + u * coeffs[k];
            opt.Step();
        }
        var loss = (p * a).Sum() + (p * p).Sum() * 0.5;
        loss.Backward();
        // float32: RMSprop's and NAdam's u.grad is a difference of nearly equal terms (early on g/√(c·g²) hardly
        // depends on g), which amplifies rounding about a thousandfold: measured 4.1e-5 and 3.2e-5 (9e-14 in float64).
        double tol = dtype == DType.Float64 ? 1e-12 : name is "RMSprop" or "NAdam" ? 5e-5 : 2e-5;
        string what = $"{name} {JsonSerializer.Serialize(c.GetProperty("options"))} {dtype}";
        Compare(c.GetProperty("p"), p, tol, $"{what}: p");
        Compare(c.GetProperty("w_grad"), w.Grad!, tol, $"{what}: w.grad");
        Compare(c.GetProperty("u_grad"), u.Grad!, tol, $"{what}: u.grad");
    }

    private void Compare(JsonElement expected, Tensor actual, double tol, string what)
    {
        var e = GoldenJson.Numbers(expected);
        var got = actual.Detach().To(DType.Float64).Contiguous().AsSpan<double>().ToArray();
        Assert.Equal(e.Length, got.Length);
        double worst = 0;
        for (int i = 0; i < e.Length; i++) worst = Math.Max(worst, Math.Abs(got[i] - e[i]) / Math.Max(Math.Abs(e[i]), 0.01));
        output.WriteLine($"{what}: worst relative error {worst:G3}");
        Assert.True(worst <= tol, $"{what}: worst relative error {worst:G3} > {tol:G3}");
    }

    public static TheoryData<string, string, DType> KernelComparisons()
    {
        var data = new TheoryData<string, string, DType>();
        string[] configs =
        [
            "SGD|{\"lr\": 0.1}", "SGD|{\"lr\": 0.1, \"momentum\": 0.9, \"weight_decay\": 0.1}",
            "SGD|{\"lr\": 0.05, \"momentum\": 0.8, \"dampening\": 0.3, \"maximize\": true}",
            "SGD|{\"lr\": 0.1, \"momentum\": 0.9, \"nesterov\": true, \"weight_decay\": 0.05}",
            "Adam|{\"lr\": 0.01}", "Adam|{\"lr\": 0.02, \"amsgrad\": true, \"weight_decay\": 0.1, \"maximize\": true}",
            "AdamW|{\"lr\": 0.01}", "AdamW|{\"lr\": 0.05, \"weight_decay\": 0.2, \"amsgrad\": true}",
            "RMSprop|{\"lr\": 0.01}", "RMSprop|{\"lr\": 0.01, \"momentum\": 0.9, \"weight_decay\": 0.1, \"maximize\": true}",
            "RMSprop|{\"lr\": 0.01, \"alpha\": 0.9, \"centered\": true, \"momentum\": 0.5}",
            "Adagrad|{\"lr\": 0.1}", "Adagrad|{\"lr\": 0.1, \"lr_decay\": 0.5, \"weight_decay\": 0.1, \"initial_accumulator_value\": 0.2, \"maximize\": true}",
            "Adadelta|{\"lr\": 1.0}", "Adadelta|{\"lr\": 0.5, \"rho\": 0.8, \"weight_decay\": 0.1, \"maximize\": true}",
            "Adamax|{\"lr\": 0.01}", "Adamax|{\"lr\": 0.02, \"betas\": [0.8, 0.9], \"weight_decay\": 0.1, \"maximize\": true}",
            "NAdam|{\"lr\": 0.01}", "NAdam|{\"lr\": 0.02, \"weight_decay\": 0.1, \"momentum_decay\": 0.1}",
            "NAdam|{\"lr\": 0.02, \"weight_decay\": 0.1, \"decoupled_weight_decay\": true, \"maximize\": true}",
            "RAdam|{\"lr\": 0.01}", "RAdam|{\"lr\": 0.02, \"betas\": [0.8, 0.9], \"weight_decay\": 0.1}",
            "RAdam|{\"lr\": 0.02, \"betas\": [0.9, 0.9], \"weight_decay\": 0.1, \"decoupled_weight_decay\": true, \"maximize\": true}",
            "ASGD|{\"lr\": 0.1}", "ASGD|{\"lr\": 0.1, \"lambd\": 0.01, \"alpha\": 0.5, \"t0\": 2, \"weight_decay\": 0.1, \"maximize\": true}",
            "Rprop|{\"lr\": 0.01}", "Rprop|{\"lr\": 0.05, \"etas\": [0.3, 1.5], \"step_sizes\": [0.001, 0.06], \"maximize\": true}",
        ];
        foreach (var config in configs)
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            {
                var parts = config.Split('|');
                data.Add(parts[0], parts[1], dtype);
            }
        return data;
    }

    /// <summary>
    /// Eight steps with <c>differentiable</c> (non-leaf parameters) against the kernel path (leaves), which agree to
    /// float rounding, not bit for bit: the tensor operations round as ATen does and the kernels otherwise (measured:
    /// at most 2.1e-6 relative in float32, 3.4e-15 in float64; Adamax, Rprop and RAdam before its rectification
    /// agree exactly). Adam's and AdamW's differentiable path is PyTorch's capturable formula, whose bias corrections
    /// are float32 scalars even for float64 parameters (1 − 0.999 is 0.0010000467 in float32): up to 4e-5 relative
    /// in both dtypes, as between PyTorch's own two paths. NAdam's differentiable path scales by float32 factors made
    /// from its float32 <c>mu_product</c>, where the kernel path uses doubles: 1.6e-8 in float64, 1.1e-7 in float32.
    /// The gradients change sign every third step, so Rprop's sign-flip branch runs.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelComparisons))]
    public void NumbersAreTheKernelPaths(string name, string json, DType dtype)
    {
        var options = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(e => e.Key, e => (object?)e.Value);
        var leaves = OptimizerCases.Params(dtype: dtype);
        var kernel = OptimizerRegistry.Create(name, [new ParamGroup(leaves)], options);
        var roots = OptimizerCases.Params(dtype: dtype);
        var stepped = roots.Select(r => r.Clone()).ToList();
        var diff = OptimizerRegistry.Create(name, [new ParamGroup(stepped)], new Dictionary<string, object?>(options) { ["differentiable"] = true });
        for (int step = 0; step < 8; step++)
        {
            for (int i = 0; i < leaves.Count; i++)
            {
                using var _ = Descent.Autograd.GradMode.Set(false);
                var g = leaves[i].Detach() * leaves[i].Detach() * (1.0 + i) + 0.3 * (step + 1) * (step % 3 == 1 ? -1 : 1);
                leaves[i].Grad = g;
                stepped[i].Grad = g.Clone();
            }
            kernel.Step();
            diff.Step();
        }
        double tol = name switch
        {
            "Adam" or "AdamW" => 1e-4,
            "NAdam" => 1e-6,
            _ => dtype == DType.Float64 ? 1e-13 : 1e-5,
        };
        double worst = 0;
        for (int i = 0; i < leaves.Count; i++)
        {
            var k = leaves[i].Detach().To(DType.Float64).AsSpan<double>().ToArray();
            var d = stepped[i].Detach().To(DType.Float64).AsSpan<double>().ToArray();
            for (int j = 0; j < k.Length; j++) worst = Math.Max(worst, Math.Abs(k[j] - d[j]) / Math.Max(Math.Abs(k[j]), 0.01));
        }
        output.WriteLine($"{name} {json} {dtype}: worst relative difference {worst:G3}");
        Assert.True(worst <= tol, $"{name} {json} {dtype}: worst relative difference {worst:G3} > {tol:G3}");
        Assert.NotNull(stepped[0].GradFn); // the update was recorded
    }

    /// <summary>
    /// Steps whose next step modifies a tensor saved for the gradient: PyTorch's backward through two of them fails,
    /// and so does Descent's, with its message (one step is differentiable, as the golden cases show).
    /// </summary>
    [Theory]
    [InlineData("Adam", "{\"amsgrad\": true}")]
    [InlineData("RMSprop", "{\"centered\": true}")]
    [InlineData("Adamax", "{}")]
    [InlineData("Rprop", "{}")]
    public void BackwardThroughTwoStepsFailsWherePyTorchsDoes(string name, string json)
    {
        var options = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(e => e.Key, e => (object?)e.Value);
        options["differentiable"] = true;
        var w = Tensor.FromArray([0.5, -1.0, 2.0]).RequiresGrad_();
        var u = Tensor.FromArray([0.3, 0.2, -0.4]).RequiresGrad_();
        var p = w.Clone();
        var opt = OptimizerRegistry.Create(name, [new ParamGroup([p])], options);
        for (int k = 0; k < 2; k++)
        {
            p.Grad = Tensor.FromArray([0.1, -0.2, 0.3]) + u * (k + 1.0);
            opt.Step();
        }
        var e = Assert.Throws<InvalidOperationException>(() => (p * p).Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation", e.Message);
    }

    [Fact]
    public void ALeafParameterIsRefusedAsPyTorchRefusesIt()
    {
        // PyTorch: the step runs with gradients enabled, and an in-place update of a leaf that requires grad is refused.
        var p = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var opt = new SGD([p], lr: 0.1, differentiable: true);
        p.Grad = Tensor.FromArray([1f, 1f]);
        var e = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        Assert.Equal([1f, 2f], p.Detach().AsSpan().ToArray());
    }

    [Fact]
    public void NonLeafParametersNeedDifferentiable()
    {
        var w = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var e = Assert.Throws<ArgumentException>(() => new Adam([w.Clone()]));
        Assert.Equal("can't optimize a non-leaf Tensor", e.Message);
        var opt = new Adam([w.Clone()], differentiable: true);
        Assert.Equal(true, opt.ParamGroups[0]["differentiable"]);
    }
}
