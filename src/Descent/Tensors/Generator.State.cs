using System.Buffers.Binary;

namespace Descent.Tensors;

// get_state / set_state in PyTorch's byte layout (CPUGeneratorImpl.cpp).
public sealed partial class Generator
{
    /// <summary>Size of <c>CPUGeneratorImplState</c>, what <c>torch.get_rng_state()</c> returns.</summary>
    public const int StateSize = 5056;

    /// <summary>Size of the legacy <c>THGeneratorState</c> that <see cref="SetState"/> also accepts.</summary>
    public const int LegacyStateSize = 5048;

    // Offsets into the x86-64 layout of
    //   struct THGeneratorState { uint64 the_initial_seed; int left; int seeded;
    //     uint64 next; uint64 state[624]; double normal_x, normal_y, normal_rho;
    //     int normal_is_valid; /* 4 bytes padding */ };                 // 5048 bytes
    //   struct CPUGeneratorImplState { THGeneratorState legacy_pod;
    //     float next_float_normal_sample; bool is_next_float_normal_sample_valid;
    //     /* 3 bytes padding */ };                                       // 5056 bytes
    private const int SeedOffset = 0;
    private const int LeftOffset = 8;
    private const int SeededOffset = 12;
    private const int NextOffset = 16;
    private const int StateWordsOffset = 24;
    private const int NormalXOffset = StateWordsOffset + Mt19937.StateSize * sizeof(ulong); // 5016
    private const int NormalYOffset = NormalXOffset + 8;
    private const int NormalRhoOffset = NormalXOffset + 16;
    private const int NormalIsValidOffset = NormalXOffset + 24;
    private const int FloatSampleOffset = LegacyStateSize;
    private const int FloatSampleValidOffset = LegacyStateSize + 4;

    /// <summary>
    /// The generator state as <c>Generator.get_state()</c> / <c>torch.get_rng_state()</c>
    /// bytes (<see cref="StateSize"/> bytes, little-endian, padding zeroed): the
    /// mt19937 words widened to uint64, the cached double normal sample in
    /// <c>normal_y</c> (with <c>normal_x</c> and <c>normal_rho</c> zero) and the
    /// cached float normal sample at the end.
    /// </summary>
    public byte[] GetState()
    {
        byte[] bytes = new byte[StateSize];
        Span<byte> s = bytes;
        lock (sync)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(s[SeedOffset..], engine.InitialSeed);
            BinaryPrimitives.WriteInt32LittleEndian(s[LeftOffset..], engine.Left);
            BinaryPrimitives.WriteInt32LittleEndian(s[SeededOffset..], engine.Seeded ? 1 : 0);
            BinaryPrimitives.WriteUInt64LittleEndian(s[NextOffset..], engine.Next);
            ReadOnlySpan<uint> words = engine.State;
            for (int i = 0; i < words.Length; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(s[(StateWordsOffset + i * sizeof(ulong))..], words[i]);
            }
            BinaryPrimitives.WriteDoubleLittleEndian(s[NormalYOffset..], nextDoubleNormalSample ?? 0.0);
            BinaryPrimitives.WriteInt32LittleEndian(s[NormalIsValidOffset..], nextDoubleNormalSample.HasValue ? 1 : 0);
            BinaryPrimitives.WriteSingleLittleEndian(s[FloatSampleOffset..], nextFloatNormalSample ?? 0f);
            s[FloatSampleValidOffset] = nextFloatNormalSample.HasValue ? (byte)1 : (byte)0;
        }
        return bytes;
    }

    /// <summary>
    /// Restores a state from <see cref="GetState"/>, <c>torch.get_rng_state()</c> or
    /// <c>Generator.get_state()</c>, like <c>Generator.set_state</c>. Also accepts the
    /// <see cref="LegacyStateSize"/>-byte legacy layout, whose cached normal sample
    /// is rebuilt as <c>normal_rho * sin(2π normal_x)</c> and which carries no
    /// float sample.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// For a wrong size or an mt19937 state PyTorch rejects, with PyTorch's messages.
    /// </exception>
    public void SetState(ReadOnlySpan<byte> state)
    {
        double? doubleSample = null;
        float? floatSample = null;
        if (state.Length == LegacyStateSize)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(state[NormalIsValidOffset..]) != 0)
            {
                double rho = BinaryPrimitives.ReadDoubleLittleEndian(state[NormalRhoOffset..]);
                double theta = 2.0 * Math.PI * BinaryPrimitives.ReadDoubleLittleEndian(state[NormalXOffset..]);
                doubleSample = rho * Math.Sin(theta);
            }
        }
        else if (state.Length == StateSize)
        {
            if (state[FloatSampleValidOffset] != 0)
            {
                floatSample = BinaryPrimitives.ReadSingleLittleEndian(state[FloatSampleOffset..]);
            }
            if (BinaryPrimitives.ReadInt32LittleEndian(state[NormalIsValidOffset..]) != 0)
            {
                doubleSample = BinaryPrimitives.ReadDoubleLittleEndian(state[NormalYOffset..]);
            }
        }
        else
        {
            throw new ArgumentException(
                $"Expected either a CPUGeneratorImplStateLegacy of size {LegacyStateSize} or a " +
                $"CPUGeneratorImplState of size {StateSize} but found the input RNG state size to be {state.Length}");
        }

        // The legacy pod stores each 32-bit word widened to uint64; PyTorch truncates back.
        Span<uint> words = stackalloc uint[Mt19937.StateSize];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = (uint)BinaryPrimitives.ReadUInt64LittleEndian(state[(StateWordsOffset + i * sizeof(ulong))..]);
        }
        ulong seed = BinaryPrimitives.ReadUInt64LittleEndian(state[SeedOffset..]);
        int left = BinaryPrimitives.ReadInt32LittleEndian(state[LeftOffset..]);
        bool seeded = BinaryPrimitives.ReadInt32LittleEndian(state[SeededOffset..]) != 0;
        uint next = (uint)BinaryPrimitives.ReadUInt64LittleEndian(state[NextOffset..]);

        lock (sync)
        {
            if (!engine.TrySetData(seed, left, seeded, next, words))
            {
                throw new ArgumentException("Invalid mt19937 state");
            }
            nextFloatNormalSample = floatSample;
            nextDoubleNormalSample = doubleSample;
        }
    }
}
