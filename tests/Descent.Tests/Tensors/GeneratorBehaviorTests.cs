using System.Collections.Concurrent;
using System.Text.Json;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>Seeding, argument checks, thread safety and allocation behaviour of <see cref="Generator"/>.</summary>
[Collection("GlobalGenerator")]
public class GeneratorBehaviorTests
{
    [Fact]
    public void ManualSeedOneRandn2x2MatchesPyTorch()
    {
        // torch.manual_seed(1); torch.randn(2, 2) == [[0.6614, 0.2669], [0.0617, 0.6213]]
        var values = new float[4];
        Generator.Default.ManualSeed(1).FillNormal(values);
        Assert.Equal(new[] { 0.6614f, 0.2669f, 0.0617f, 0.6213f }, values.Select(v => MathF.Round(v, 4)));
        RngGolden.AssertBits(RngGolden.Floats(RngGolden.Root.GetProperty("spotRandn2x2Seed1")), values, "spot");
    }

    [Fact]
    public void FreshGeneratorMatchesTorchGenerator()
    {
        JsonElement root = RngGolden.Root;
        var g = new Generator();
        Assert.Equal(root.GetProperty("freshGeneratorInitialSeed").GetInt64(), g.InitialSeed);
        Assert.Equal(Generator.DefaultSeed, g.InitialSeed);
        var values = new float[4];
        g.FillNormal(values);
        RngGolden.AssertBits(RngGolden.Floats(root.GetProperty("freshGeneratorRandn4")), values, "fresh");
    }

    [Fact]
    public void ManualSeedResetsCachedNormalAndReturnsThis()
    {
        var g = new Generator(7);
        var first = new double[1];
        g.FillNormal(first); // leaves the second Box-Muller sample cached
        Assert.Same(g, g.ManualSeed(7));
        var again = new double[1];
        g.FillNormal(again);
        Assert.Equal(first, again);
        Assert.Equal(new Generator(7).GetState(), new Generator(7).ManualSeed(7).GetState());
    }

    [Fact]
    public void NegativeSeedIsTwosComplement()
    {
        var g = new Generator().ManualSeed(-1);
        Assert.Equal(-1L, g.InitialSeed);
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(g.GetState(), 0));
    }

    [Fact]
    public void SeedIsNondeterministicAndReproducible()
    {
        var g = new Generator();
        long seed = g.Seed();
        Assert.Equal(seed, g.InitialSeed);
        Assert.NotEqual(seed, new Generator().Seed()); // 2^-64 chance of a false failure
        Assert.Equal(new Generator(seed).Random64(), g.Random64());
    }

    [Fact]
    public void Random64IsTwoRandomsHighFirst()
    {
        var a = new Generator(11);
        var b = new Generator(11);
        ulong hi = b.Random(), lo = b.Random();
        Assert.Equal((hi << 32) | lo, a.Random64());
    }

    [Fact]
    public void Mt19937MatchesReferenceOutput()
    {
        // The 10000th output of the standard mt19937 seeded with 5489 is 4123659995.
        var engine = new Mt19937(5489);
        uint value = 0;
        for (int i = 0; i < 10000; i++)
        {
            value = engine.NextUInt32();
        }
        Assert.Equal(4123659995u, value);
    }

    [Fact]
    public void EmptySpansDrawNothing()
    {
        var g = new Generator(1);
        byte[] before = g.GetState();
        g.FillNormal(Span<float>.Empty);
        g.FillNormal(Span<double>.Empty);
        g.FillUniform(Span<float>.Empty);
        g.FillRandint(Span<long>.Empty, 0, 3);
        g.FillBernoulli(Span<float>.Empty, 0.5);
        g.Randperm(Span<long>.Empty);
        g.Randperm(new long[1]); // n = 1 draws nothing either
        Assert.Equal(before, g.GetState());
    }

    [Fact]
    public void ArgumentChecksUsePyTorchMessages()
    {
        var g = new Generator();
        Assert.Equal("uniform_ expects to return a [from, to) range, but found from=1 > to=0",
            Assert.Throws<ArgumentException>(() => g.FillUniform(new float[1], 1, 0)).Message);
        Assert.Equal("from is out of bounds for float",
            Assert.Throws<ArgumentException>(() => g.FillUniform(new float[1], double.NaN, 1)).Message);
        Assert.Equal("normal expects std >= 0.0, but found std -1",
            Assert.Throws<ArgumentException>(() => g.FillNormal(new float[1], 0, -1)).Message);
        Assert.Equal("random_ expects 'from' to be less than 'to', but got from=5 >= to=5",
            Assert.Throws<ArgumentException>(() => g.FillRandint(new long[1], 5, 5)).Message);
        Assert.Equal("bernoulli_ expects p to be in [0, 1], but got p=1.5",
            Assert.Throws<ArgumentException>(() => g.FillBernoulli(new float[1], 1.5)).Message);
        Assert.Equal(new Generator().GetState(), g.GetState()); // nothing was drawn
    }

    [Fact]
    public void ConcurrentDrawsAreAtomic()
    {
        // Each Random64 holds the lock across both 32-bit draws, so the set of
        // values drawn by 4 racing threads equals 4000 sequential draws.
        var shared = new Generator(21);
        var seen = new ConcurrentBag<ulong>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int i = 0; i < 1000; i++)
            {
                seen.Add(shared.Random64());
            }
        });
        var sequential = new Generator(21);
        var expected = new HashSet<ulong>();
        for (int i = 0; i < 4000; i++)
        {
            expected.Add(sequential.Random64());
        }
        Assert.True(expected.SetEquals(seen));
    }

    [Fact]
    public void FillsDoNotAllocate()
    {
        var g = new Generator(3);
        var f = new float[1001];
        var d = new double[37];
        var l = new long[100];
        void FillAll()
        {
            g.FillNormal(f);
            g.FillNormal(f.AsSpan(0, 5));
            g.FillNormal(d);
            g.FillNormal(d.AsSpan(0, 3));
            g.FillUniform(f, -1, 1);
            g.FillUniform(d);
            g.FillBernoulli(f, 0.3);
            g.FillRandint(l, -3, 9);
            g.FillRandint(f, 0, 10);
            g.Randperm(l);
            g.RandomInt64();
        }
        FillAll(); // JIT warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        FillAll();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
