using System.Globalization;

namespace Descent.Tensors;

// Integer-valued draws: randint / random_(from, to), random_(), randperm.
public sealed partial class Generator
{
    /// <summary>
    /// Fills <paramref name="dst"/> with integers in [low, high) exactly as
    /// <c>torch.randint(low, high, size)</c> (int64) does: <c>draw % range + low</c>
    /// with a 32-bit draw, or a 64-bit draw when the range is 2^32 or more.
    /// </summary>
    /// <exception cref="ArgumentException">When low &gt;= high.</exception>
    public void FillRandint(Span<long> dst, long low, long high)
    {
        ulong range = RandintRange(low, high);
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextFromTo(range, low);
            }
        }
    }

    /// <summary>
    /// Float32 <c>torch.randint(low, high, size, dtype=torch.float32)</c>: the same
    /// draws as the int64 version, converted to float. Like PyTorch, bounds
    /// beyond ±2^24 are first moved to values a float can represent.
    /// </summary>
    /// <exception cref="ArgumentException">When low &gt;= high (before or after that adjustment).</exception>
    public void FillRandint(Span<float> dst, long low, long high)
    {
        RandintRange(low, high);
        low = UpdateFrom(low, 24);
        high = UpdateTo(high, 24);
        ulong range = RandintRange(low, high, casted: true);
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextFromTo(range, low);
            }
        }
    }

    /// <summary>
    /// Float64 <c>torch.randint(low, high, size, dtype=torch.float64)</c>: the same
    /// draws as the int64 version, converted to double (bounds beyond ±2^53 adjusted).
    /// </summary>
    /// <exception cref="ArgumentException">When low &gt;= high (before or after that adjustment).</exception>
    public void FillRandint(Span<double> dst, long low, long high)
    {
        RandintRange(low, high);
        low = UpdateFrom(low, 53);
        high = UpdateTo(high, 53);
        ulong range = RandintRange(low, high, casted: true);
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextFromTo(range, low);
            }
        }
    }

    /// <summary>
    /// One draw of <c>torch.empty((), dtype=torch.int64).random_(generator=this)</c>:
    /// a 64-bit draw reduced to [0, 2^63). This is how
    /// <c>torch.utils.data.RandomSampler</c> and the <c>DataLoader</c> iterator
    /// derive seeds (from the default generator unless one is given).
    /// </summary>
    public long RandomInt64()
    {
        lock (sync)
        {
            return NextRandomInt64();
        }
    }

    /// <summary>
    /// Fills <paramref name="dst"/> like <c>tensor.random_()</c> on an int64
    /// tensor: one <see cref="RandomInt64"/> draw per element.
    /// </summary>
    public void FillRandom(Span<long> dst)
    {
        lock (sync)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                dst[i] = NextRandomInt64();
            }
        }
    }

    /// <summary>
    /// Writes a random permutation of 0..n-1 (n = <c>dst.Length</c>) exactly as
    /// <c>torch.randperm(n)</c> / <c>torch.randperm(n, generator=g)</c> does on CPU
    /// (<c>randperm_cpu</c>): start from the identity and for each i swap
    /// position i with i + <c>random() % (n - i)</c>, using 32-bit draws.
    /// </summary>
    public void Randperm(Span<long> dst)
    {
        int n = dst.Length;
        for (int i = 0; i < n; i++)
        {
            dst[i] = i;
        }
        lock (sync)
        {
            for (int i = 0; i < n - 1; i++)
            {
                int z = (int)(NextUInt32() % (uint)(n - i));
                (dst[i], dst[z + i]) = (dst[z + i], dst[i]);
            }
        }
    }

    // uniform_int_distribution<int64_t>: random64() % (INT64_MAX + 1).
    private long NextRandomInt64() => (long)(NextUInt64() & long.MaxValue);

    // uniform_int_from_to_distribution: random64 only for ranges of 2^32 or more.
    private long NextFromTo(ulong range, long baseValue)
    {
        ulong draw = range >= (1ul << 32) ? NextUInt64() : NextUInt32();
        return unchecked((long)(draw % range + (ulong)baseValue));
    }

    private static ulong RandintRange(long low, long high, bool casted = false)
    {
        if (low >= high)
        {
            string what = casted
                ? "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype"
                : "random_ expects 'from' to be less than 'to'";
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{what}, but got from={low} >= to={high}"));
        }
        return unchecked((ulong)high - (ulong)low);
    }

    // update_from<scalar_t>: if from + 1 does not survive a round trip through the
    // dtype, move from up to the next representable value (PyTorch's arithmetic).
    private static long UpdateFrom(long from, int digits)
    {
        long fromPlus1 = RoundTrip(from + 1, digits);
        if (fromPlus1 < from)
        {
            long magnitude = Math.Abs(from + 1);
            int n = 0;
            while ((magnitude >>= 1) != 0)
            {
                n++;
            }
            from = fromPlus1 + (1L << (n - digits + 1));
        }
        return from;
    }

    // update_to<scalar_t>: the mirror image for the exclusive upper bound.
    private static long UpdateTo(long to, int digits)
    {
        long toMinus1 = RoundTrip(to - 1, digits);
        if (toMinus1 >= to)
        {
            long magnitude = Math.Abs(to - 1);
            int n = 0;
            while ((magnitude >>= 1) != 0)
            {
                n++;
            }
            to = toMinus1 - (1L << (n - digits + 1));
        }
        return to;
    }

    // static_cast<int64_t>(static_cast<scalar_t>(v)) for float (24 digits) or double (53).
    private static long RoundTrip(long v, int digits) => digits == 24 ? (long)(float)v : (long)(double)v;
}
