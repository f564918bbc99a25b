namespace Descent.Tensors;

/// <summary>Temporary stand-in until the PyTorch-exact generator lands.</summary>
public sealed class Generator
{
    private Random rng = new(0);
    public static Generator Default { get; } = new();
    public Generator ManualSeed(long seed) { rng = new Random((int)seed); return this; }
    public void FillUniform(Span<float> d, double from, double to) { for (int i = 0; i < d.Length; i++) d[i] = (float)(from + (to - from) * rng.NextDouble()); }
    public void FillUniform(Span<double> d, double from, double to) { for (int i = 0; i < d.Length; i++) d[i] = from + (to - from) * rng.NextDouble(); }
    public void FillNormal(Span<float> d, double mean, double std) { for (int i = 0; i < d.Length; i++) d[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())); }
    public void FillNormal(Span<double> d, double mean, double std) { for (int i = 0; i < d.Length; i++) d[i] = mean + std * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()); }
    public void FillRandint(Span<long> d, long low, long high) { for (int i = 0; i < d.Length; i++) d[i] = rng.NextInt64(low, high); }
    public void Randperm(Span<long> d) { for (int i = 0; i < d.Length; i++) d[i] = i; rng.Shuffle(d); }
    public long RandomInt64() => rng.NextInt64();
    public void FillBernoulli(Span<float> d, double p) { for (int i = 0; i < d.Length; i++) d[i] = rng.NextDouble() < p ? 1 : 0; }
}
