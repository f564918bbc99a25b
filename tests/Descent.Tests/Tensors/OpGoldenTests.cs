using System.Text.Json;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// Every differentiable op against PyTorch 1.13: forward values and the gradients of Σ output·w, case by case
/// from Golden/ops.json (written by tests/golden/gen_ops.py). Inputs include broadcasting, transposed, sliced
/// and expanded views, negative dims and keepDim; some cases run in float64.
/// </summary>
public class OpGoldenTests
{
    // float32: both sides round every op to float; elementary functions (exp, log, tanh, pow) differ between
    // .NET's TensorPrimitives and PyTorch's SLEEF/libm by a few ulp (≈ 1e-7 relative), and sums and matrix
    // products accumulate in a different order, so 1e-5 relative leaves room without hiding wrong formulas.
    private const double Rtol32 = 1e-5, Atol32 = 1e-6;

    // float64: the same formulas in double agree to a few ulp; 1e-12 is far above that and far below any bug.
    private const double Rtol64 = 1e-12, Atol64 = 1e-12;

    private static readonly Lazy<Dictionary<string, JsonElement>> AllCases = new(() =>
    {
        var d = new Dictionary<string, JsonElement>();
        foreach (var c in GoldenJson.Load("ops.json").GetProperty("cases").EnumerateArray()) d[c.GetProperty("name").GetString()!] = c;
        return d;
    });

    /// <summary>The case names, one test each.</summary>
    public static IEnumerable<object[]> Cases() => AllCases.Value.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryOpInTheTableHasAGoldenCase()
    {
        var covered = AllCases.Value.Values.Select(c => c.GetProperty("op").GetString()!).ToHashSet();
        var missing = OpTable.Ops.Keys.Where(k => !covered.Contains(k)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = AllCases.Value[name];
        var op = OpTable.Ops[c.GetProperty("op").GetString()!];
        var args = OpArgs.FromJson(c.GetProperty("args"));

        var leaves = new List<Tensor>();
        var inputs = new List<Tensor>();
        bool f64 = false;
        foreach (var i in c.GetProperty("inputs").EnumerateArray())
        {
            var leaf = GoldenJson.Tensor(i);
            f64 |= leaf.DType == DType.Float64;
            if (i.GetProperty("requires_grad").GetBoolean()) leaf.RequiresGrad = true;
            leaves.Add(leaf);
            inputs.Add(OpTable.ApplyView(leaf, i.GetProperty("view").EnumerateArray()));
        }
        var (rtol, atol) = f64 ? (Rtol64, Atol64) : (Rtol32, Atol32);

        var outputs = op(inputs.ToArray(), args);
        var expectedOutputs = c.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(expectedOutputs.Length, outputs.Length);
        for (int k = 0; k < outputs.Length; k++)
            TensorAssert.Close(GoldenJson.Tensor(expectedOutputs[k]), outputs[k], rtol, atol, $"{name}: output {k}");

        Tensor? loss = null;
        var weights = c.GetProperty("weights").EnumerateArray().ToArray();
        for (int k = 0; k < outputs.Length; k++)
        {
            if (weights[k].ValueKind == JsonValueKind.Null) continue;
            var term = outputs[k].Mul(GoldenJson.Tensor(weights[k])).Sum();
            loss = loss is null ? term : loss.Add(term);
        }
        if (loss is not null && loss.RequiresGrad) loss.Backward();

        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int k = 0; k < leaves.Count; k++)
        {
            if (grads[k].ValueKind == JsonValueKind.Null)
            {
                Assert.True(leaves[k].Grad is null, $"{name}: input {k} got a gradient; PyTorch leaves it None");
                continue;
            }
            Assert.True(leaves[k].Grad is not null, $"{name}: input {k} has no gradient");
            TensorAssert.Close(GoldenJson.Tensor(grads[k]), leaves[k].Grad!, rtol, atol, $"{name}: grad of input {k}");
        }
    }
}
