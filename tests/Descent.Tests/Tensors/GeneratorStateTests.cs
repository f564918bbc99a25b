using System.Buffers.Binary;
using System.Text.Json;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// <see cref="Generator.GetState"/> / <see cref="Generator.SetState"/> in
/// <c>torch.get_rng_state()</c>'s byte layout.
/// </summary>
public class GeneratorStateTests
{
    [Fact]
    public void StateHasPyTorchSize()
    {
        Assert.Equal(5056, Generator.StateSize);
        Assert.Equal(5048, Generator.LegacyStateSize);
        Assert.Equal(Generator.StateSize, new Generator().GetState().Length);
    }

    [Theory]
    [InlineData(0)] // no cached normal sample
    [InlineData(3)] // odd count of scalar normals: the double cache is valid
    [InlineData(20)]
    public void RoundTripContinuesIdentically(int warmup)
    {
        var a = new Generator(99);
        a.FillNormal(new float[warmup]);
        a.FillUniform(new double[3]);
        a.FillNormal(new double[1]);

        var b = new Generator(12345);
        b.SetState(a.GetState());

        Assert.Equal(a.GetState(), b.GetState());
        Assert.Equal(a.InitialSeed, b.InitialSeed);
        var fa = new float[40];
        var fb = new float[40];
        for (int n = 1; n <= 40; n += 13)
        {
            a.FillNormal(fa.AsSpan(0, n));
            b.FillNormal(fb.AsSpan(0, n));
            Assert.Equal(fa, fb);
        }
        Assert.Equal(a.RandomInt64(), b.RandomInt64());
        Assert.Equal(a.GetState(), b.GetState());
    }

    [Fact]
    public void FloatNormalCacheSurvivesRoundTrip()
    {
        // No CPU kernel fills the float cache, but PyTorch's state carries it.
        byte[] state = new Generator(5).GetState();
        BinaryPrimitives.WriteSingleLittleEndian(state.AsSpan(5048), 0.25f);
        state[5052] = 1;
        var g = new Generator();
        g.SetState(state);
        Assert.Equal(state, g.GetState());
    }

    [Fact]
    public void PyTorchStateRestoresAndContinuesIdentically()
    {
        JsonElement restore = RngGolden.Root.GetProperty("restore");
        byte[] state = Convert.FromBase64String(restore.GetProperty("state").GetString()!);
        var g = new Generator();
        g.SetState(state);
        Assert.Equal(state, g.GetState());
        RngGolden.Replay(g, restore.GetProperty("ops"), "restore");
    }

    [Fact]
    public void LegacyStateRebuildsCachedSampleLikePyTorch()
    {
        JsonElement legacy = RngGolden.Root.GetProperty("legacyRestore");
        byte[] state = Convert.FromBase64String(legacy.GetProperty("state").GetString()!);
        Assert.Equal(Generator.LegacyStateSize, state.Length);
        var g = new Generator();
        g.SetState(state);
        RngGolden.Replay(g, legacy.GetProperty("ops"), "legacyRestore");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(5047)]
    [InlineData(5057)]
    public void WrongSizeThrowsPyTorchMessage(int size)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Generator().SetState(new byte[size]));
        Assert.Equal(
            "Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState of size 5056 " +
            $"but found the input RNG state size to be {size}",
            ex.Message);
    }

    [Theory]
    [InlineData(8, 0)] // left = 0
    [InlineData(8, 625)] // left > 624
    [InlineData(12, 0)] // not seeded
    [InlineData(16, 625)] // next > 624
    public void InvalidEngineStateThrowsAndLeavesGeneratorUntouched(int offset, int value)
    {
        var g = new Generator(3);
        byte[] before = g.GetState();
        byte[] bad = (byte[])before.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(offset), value);
        var ex = Assert.Throws<ArgumentException>(() => g.SetState(bad));
        Assert.Equal("Invalid mt19937 state", ex.Message);
        Assert.Equal(before, g.GetState());
    }
}
