using System.Security.Cryptography;

namespace Descent.Tensors;

/// <summary>
/// A CPU random number generator that reproduces PyTorch's
/// <c>torch.Generator</c> (<c>at::CPUGeneratorImpl</c>) bit for bit: an
/// <see cref="Mt19937"/> engine plus the cached second Box–Muller sample.
/// The span fillers in the other parts of this class mirror the CPU kernels
/// behind <c>torch.rand</c>, <c>torch.randn</c>, <c>torch.randint</c>,
/// <c>torch.randperm</c>, <c>random_</c> and <c>bernoulli_</c> for contiguous
/// tensors.
/// </summary>
/// <remarks>
/// All members are thread-safe: like PyTorch's <c>generator-&gt;mutex_</c>, one
/// lock is held for the whole of each draw or fill.
/// </remarks>
public sealed partial class Generator
{
    /// <summary>
    /// Seed of a freshly constructed generator, PyTorch's
    /// <c>default_rng_seed_val</c> (what <c>torch.Generator().initial_seed()</c> returns).
    /// </summary>
    public const long DefaultSeed = 67280421310721;

    private readonly Lock sync = new();
    private readonly Mt19937 engine;
    private double? nextDoubleNormalSample;
    private float? nextFloatNormalSample;

    /// <summary>Creates a generator seeded with <see cref="DefaultSeed"/>, like <c>torch.Generator()</c>.</summary>
    public Generator()
        : this(DefaultSeed)
    {
    }

    /// <summary>Creates a generator seeded with <paramref name="seed"/>, like <c>torch.Generator().manual_seed(seed)</c>.</summary>
    public Generator(long seed) => engine = new Mt19937(unchecked((ulong)seed));

    // The process's default generator, and a thread's own where one is set (a DataLoader worker's).
    private static readonly Generator ProcessDefault = new(unchecked((long)NonDeterministicSeed()));
    [ThreadStatic] private static Generator? threadDefault;

    /// <summary>
    /// The default CPU generator (<c>torch.default_generator</c>, used by the
    /// global <c>torch.*</c> random functions). Like PyTorch's it starts from a
    /// nondeterministic seed; call <see cref="ManualSeed"/> for reproducibility.
    /// It is the process's, except on a <c>DataLoader</c> worker thread, which
    /// has its own, seeded as PyTorch seeds each worker process.
    /// </summary>
    public static Generator Default => threadDefault ?? ProcessDefault;

    /// <summary>Makes <paramref name="generator"/> the calling thread's <see cref="Default"/> (null: the process's again).</summary>
    internal static void SetThreadDefault(Generator? generator) => threadDefault = generator;

    /// <summary>
    /// The seed last set (<c>Generator.initial_seed()</c>). PyTorch stores seeds
    /// as uint64; seeds of 2^63 and above read back as negative numbers here.
    /// </summary>
    public long InitialSeed
    {
        get
        {
            lock (sync)
            {
                return unchecked((long)engine.InitialSeed);
            }
        }
    }

    /// <summary>
    /// Reseeds the engine and drops any cached normal samples, like
    /// <c>Generator.manual_seed(seed)</c> / <c>CPUGeneratorImpl::set_current_seed</c>.
    /// A negative seed is taken as its two's-complement uint64, as PyTorch does.
    /// </summary>
    /// <returns>This generator, for chaining.</returns>
    public Generator ManualSeed(long seed)
    {
        lock (sync)
        {
            SetCurrentSeedLocked(unchecked((ulong)seed));
        }
        return this;
    }

    /// <summary>
    /// Reseeds from 64 nondeterministic bits, like <c>Generator.seed()</c>
    /// (which reads /dev/urandom), and returns the new seed.
    /// </summary>
    public long Seed()
    {
        ulong seed = NonDeterministicSeed();
        lock (sync)
        {
            SetCurrentSeedLocked(seed);
        }
        return unchecked((long)seed);
    }

    /// <summary>One raw 32-bit draw, as <c>CPUGeneratorImpl::random()</c>.</summary>
    public uint Random()
    {
        lock (sync)
        {
            return engine.NextUInt32();
        }
    }

    /// <summary>
    /// One raw 64-bit draw, as <c>CPUGeneratorImpl::random64()</c>: two 32-bit
    /// draws, the first one in the high half.
    /// </summary>
    public ulong Random64()
    {
        lock (sync)
        {
            return NextUInt64();
        }
    }

    private uint NextUInt32() => engine.NextUInt32();

    private ulong NextUInt64()
    {
        ulong hi = engine.NextUInt32();
        ulong lo = engine.NextUInt32();
        return (hi << 32) | lo;
    }

    private void SetCurrentSeedLocked(ulong seed)
    {
        nextFloatNormalSample = null;
        nextDoubleNormalSample = null;
        engine.Seed(seed);
    }

    private static ulong NonDeterministicSeed()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
