using Descent.Autograd;
using Descent.Tensors;
using Xunit;
using F = Descent.NN.Functional;

namespace Descent.Tests.NN;

/// <summary>
/// A 2-D Linear runs as one fused node. It must give, bit for bit, what addmm(b, x, Wᵀ) (mm without a bias) gives
/// through the general ops, for the output and every gradient, whatever the layout of the input.
/// </summary>
public class LinearFusedTests
{
    public static TheoryData<int, int, int, bool, bool, DType> Cases() => new()
    {
        { 32, 1, 20, true, false, DType.Float32 },   // the tutorial's hidden layer
        { 32, 20, 1, true, false, DType.Float32 },   // and its output layer
        { 7, 5, 9, true, true, DType.Float32 },      // transposed input
        { 3, 4, 12, false, false, DType.Float32 },   // no bias
        { 64, 70, 80, true, false, DType.Float32 },  // large enough for the packed GEMM
        { 6, 3, 2, true, true, DType.Float64 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheUnfusedOpsBitForBit(int batch, int inF, int outF, bool bias, bool transposedInput, DType dtype)
    {
        var gen = new Generator().ManualSeed(batch * 100 + inF * 10 + outF);
        var x0 = transposedInput ? Tensor.Randn([inF, batch], gen, dtype).T() : Tensor.Randn([batch, inF], gen, dtype);
        var w0 = Tensor.Randn([outF, inF], gen, dtype);
        var b0 = Tensor.Randn([outF], gen, dtype);
        var up = Tensor.Randn([batch, outF], gen, dtype);

        (Tensor y, Tensor gx, Tensor gw, Tensor? gb) Run(bool fused)
        {
            var x = x0.Detach().Clone().RequiresGrad_();
            if (transposedInput) x = x0.Detach().T().Clone().T().RequiresGrad_();
            var w = w0.Detach().Clone().RequiresGrad_();
            var b = bias ? b0.Detach().Clone().RequiresGrad_() : null;
            var y = fused ? F.Linear(x, w, b) : b is null ? x.Mm(w.T()) : Tensor.Addmm(b, x, w.T());
            Assert.Equal(b is null ? "MmBackward0" : "AddmmBackward0", y.GradFn!.Name);
            y.Mul(up).Sum().Backward();
            return (y, x.Grad!, w.Grad!, b?.Grad);
        }

        var f = Run(fused: true);
        var u = Run(fused: false);
        Assert.Equal(u.y.To(DType.Float64).ToArray<double>(), f.y.To(DType.Float64).ToArray<double>());
        Assert.Equal(u.gx.To(DType.Float64).ToArray<double>(), f.gx.To(DType.Float64).ToArray<double>());
        Assert.Equal(u.gw.To(DType.Float64).ToArray<double>(), f.gw.To(DType.Float64).ToArray<double>());
        Assert.True(f.gw.IsContiguous);
        if (bias) Assert.Equal(u.gb!.To(DType.Float64).ToArray<double>(), f.gb!.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardPassesAndStayOwnedByTheirLeaves()
    {
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        var w = Tensor.From(new float[,] { { 1, -1 }, { 0.5f, 2 } }).RequiresGrad_();
        var b = Tensor.From(new float[] { 0.25f, -0.5f }).RequiresGrad_();
        F.Linear(x, w, b).Sum().Backward();
        var firstW = w.Grad!;
        // ∂Σy/∂W[j, p] = Σ_i x[i, p]; ∂Σy/∂b[j] = rows.
        Assert.Equal([4f, 6f, 4f, 6f], firstW.ToArray());
        Assert.Equal([2f, 2f], b.Grad!.ToArray());
        F.Linear(x, w, b).Sum().Backward();
        Assert.Same(firstW, w.Grad);
        Assert.Equal([8f, 12f, 8f, 12f], w.Grad!.ToArray());
        Assert.Equal([4f, 4f], b.Grad!.ToArray());
    }

    [Fact]
    public void AGradientHandedToTwoLeavesIsCopiedForTheSecond()
    {
        // y = Linear(x) + Linear(x) with the same weight: W's gradient arrives twice in one pass (summed by the
        // engine), and x — a leaf — gets the fused node's own input gradient, which it may keep.
        var x = Tensor.From(new float[,] { { 1, 2 } }).RequiresGrad_();
        var w = Tensor.From(new float[,] { { 3, 4 } }).RequiresGrad_();
        var y = F.Linear(x, w).Add(F.Linear(x, w));
        y.Sum().Backward();
        Assert.Equal([6f, 8f], x.Grad!.ToArray());
        Assert.Equal([2f, 4f], w.Grad!.ToArray());
        Assert.NotSame(x.Grad!.Storage, w.Grad!.Storage);
    }
}
