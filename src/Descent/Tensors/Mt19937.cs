namespace Descent.Tensors;

/// <summary>
/// The 32-bit Mersenne Twister exactly as PyTorch implements it in
/// <c>at::mt19937</c> (ATen/core/MT19937RNGEngine.h): the classic
/// <c>init_genrand</c> seeding of the low 32 bits of a 64-bit seed and a lazy
/// twist on the first draw. The fields mirror <c>at::mt19937_data_pod</c> so
/// that <see cref="Generator.GetState"/> can serialise them byte-for-byte.
/// </summary>
/// <remarks>Not thread-safe; <see cref="Generator"/> guards it with a lock.</remarks>
internal sealed class Mt19937
{
    /// <summary>Number of 32-bit words of state (<c>MERSENNE_STATE_N</c>).</summary>
    public const int StateSize = 624;

    private const int ShiftSize = 397; // MERSENNE_STATE_M
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] state = new uint[StateSize];
    private ulong seed;
    private int left;
    private bool seeded;
    private uint next;

    /// <summary>Creates an engine seeded like <c>at::mt19937(seed)</c>.</summary>
    public Mt19937(ulong seed = 5489) => Seed(seed);

    /// <summary>The full 64-bit seed last given (only its low 32 bits feed the state).</summary>
    public ulong InitialSeed => seed;

    /// <summary>Draws remaining before the next twist, plus one (<c>left_</c>).</summary>
    internal int Left => left;

    /// <summary>Whether the engine was seeded (<c>seeded_</c>).</summary>
    internal bool Seeded => seeded;

    /// <summary>Index of the next state word to temper (<c>next_</c>).</summary>
    internal uint Next => next;

    /// <summary>The raw state words (<c>state_</c>).</summary>
    internal ReadOnlySpan<uint> State => state;

    /// <summary>Reseeds like <c>at::mt19937::init_with_uint32</c>.</summary>
    public void Seed(ulong newSeed)
    {
        seed = newSeed;
        seeded = true;
        state[0] = (uint)(newSeed & 0xffffffff);
        for (uint j = 1; j < StateSize; j++)
        {
            uint prev = state[j - 1];
            state[j] = 1812433253u * (prev ^ (prev >> 30)) + j;
        }
        // left = 1 makes the very first draw twist the freshly seeded state.
        left = 1;
        next = 0;
    }

    /// <summary>Next tempered 32-bit output, as <c>at::mt19937::operator()</c>.</summary>
    public uint NextUInt32()
    {
        if (--left == 0)
        {
            Twist();
        }
        uint y = state[next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// Overwrites the whole engine state, as <c>at::mt19937::set_data</c>.
    /// Returns false (and leaves the engine unchanged) when the state would be
    /// rejected by <c>at::mt19937::is_valid</c>.
    /// </summary>
    internal bool TrySetData(ulong newSeed, int newLeft, bool newSeeded, uint newNext, ReadOnlySpan<uint> newState)
    {
        if (newState.Length != StateSize)
        {
            throw new ArgumentException($"Expected {StateSize} state words, got {newState.Length}.", nameof(newState));
        }
        if (!newSeeded || newLeft <= 0 || newLeft > StateSize || newNext > StateSize)
        {
            return false;
        }
        newState.CopyTo(state);
        seed = newSeed;
        left = newLeft;
        seeded = newSeeded;
        next = newNext;
        return true;
    }

    /// <summary>Copies every field of <paramref name="other"/> into this engine.</summary>
    internal void CopyFrom(Mt19937 other)
    {
        other.state.CopyTo(state, 0);
        seed = other.seed;
        left = other.left;
        seeded = other.seeded;
        next = other.next;
    }

    private static uint Mix(uint u, uint v) => (u & UpperMask) | (v & LowerMask);

    private static uint TwistWord(uint u, uint v) => (Mix(u, v) >> 1) ^ ((v & 1) != 0 ? MatrixA : 0u);

    private void Twist()
    {
        left = StateSize;
        next = 0;
        uint[] s = state;
        int k = 0;
        for (; k < StateSize - ShiftSize; k++)
        {
            s[k] = s[k + ShiftSize] ^ TwistWord(s[k], s[k + 1]);
        }
        for (; k < StateSize - 1; k++)
        {
            s[k] = s[k + ShiftSize - StateSize] ^ TwistWord(s[k], s[k + 1]);
        }
        s[StateSize - 1] = s[ShiftSize - 1] ^ TwistWord(s[StateSize - 1], s[0]);
    }
}
