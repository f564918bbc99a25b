using System.Text.Json;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// Adam against PyTorch bit for bit (Golden/bits.json, tests/golden/gen_bits.py): step 1's step size computed from
/// the double lr, and the second moment's fused multiply-add. The first moment is compared after step 1 only: Descent
/// follows current PyTorch's lerp_, 1.13's mul_/add_ rounds differently afterwards.
/// </summary>
public class AdamBitsTests
{
    [Fact]
    public void DefaultAdamMatchesPyTorchBits()
    {
        var golden = GoldenJson.Load("bits.json").GetProperty("adam");
        var p = Parameter.Create(GoldenJson.Tensor(golden.GetProperty("param")));
        var opt = new Adam([p], lr: 1e-3);
        int step = 0;
        foreach (var s in golden.GetProperty("steps").EnumerateArray())
        {
            step++;
            p.Grad = GoldenJson.Tensor(s.GetProperty("grad"));
            opt.Step();
            var state = (AdamState)opt.State[p];
            AssertBits(s.GetProperty("exp_avg_sq"), state.ExpAvgSq, $"exp_avg_sq after step {step}");
            if (step == 1)
            {
                AssertBits(s.GetProperty("exp_avg"), state.ExpAvg, "exp_avg after step 1");
                AssertBits(s.GetProperty("param"), p, "param after step 1");
            }
        }
    }

    internal static void AssertBits(JsonElement expected, Tensor actual, string what)
    {
        var e = GoldenJson.Tensor(expected).ToArray();
        var a = actual.Detach().Contiguous().ToArray();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.True(BitConverter.SingleToUInt32Bits(e[i]) == BitConverter.SingleToUInt32Bits(a[i]),
                $"{what}: element {i} is {a[i]:R}, PyTorch {e[i]:R}");
    }
}
