namespace Descent.Serialization;

/// <summary>
/// Bounds on what an unpickled file may make, so a hostile pickle cannot exhaust memory, time or the stack.
/// Every length inside a pickle is also checked against the bytes that remain before anything is allocated, and
/// every bound is enforced while the pickle is being read, not afterwards.
/// </summary>
public sealed record PickleLimits
{
    /// <summary>The defaults: ample for any checkpoint, small enough to stop amplification attacks.</summary>
    public static PickleLimits Default { get; } = new();

    /// <summary>Deepest nesting of containers in the result (lists in dicts in tuples …).</summary>
    public int MaxDepth { get; init; } = 1000;

    /// <summary>Most objects (containers, strings, numbers boxed) one pickle may create.</summary>
    public int MaxObjects { get; init; } = 10_000_000;

    /// <summary>Most memo entries.</summary>
    public int MaxMemo { get; init; } = 10_000_000;

    /// <summary>Most values on the VM stack and mark stack together.</summary>
    public int MaxStack { get; init; } = 10_000_000;

    /// <summary>
    /// Work allowed per input byte: one unit per opcode, plus, each time a value is used as a dictionary key, twice
    /// its size (strings and bytes by length, tuples by their elements), which bounds hashing and comparing it;
    /// building an OrderedDict or bytes is charged by its size too. A pickle that needs more is refused, so no
    /// file makes the reader's work grow faster than its length.
    /// </summary>
    public int WorkPerByte { get; init; } = 64;

    /// <summary>
    /// Managed memory the reader may allocate per input byte (measured as it goes, garbage included), on top of
    /// <see cref="MemoryAllowance"/> and the storages the file itself holds.
    /// </summary>
    public int MemoryPerByte { get; init; } = 24;

    /// <summary>Memory any pickle may allocate whatever its size (bytes).</summary>
    public long MemoryAllowance { get; init; } = 4L << 20;

    /// <summary>
    /// How many times its own size a zip file's compressed (deflated) entries may declare once inflated, together,
    /// on top of <see cref="MemoryAllowance"/>. torch.save stores entries uncompressed; files re-zipped by other
    /// tools inflate about 1.1× (weights) and rarely past 10×, while deflate allows about 1000×: a declared total
    /// over this is refused as a zip bomb before anything is inflated. The other limits then apply to the inflated
    /// bytes.
    /// </summary>
    public int MaxInflation { get; init; } = 64;

    /// <summary>The inflated bytes a zip file of <paramref name="fileLength"/> bytes may declare.</summary>
    internal long InflationBudget(long fileLength) =>
        fileLength > (long.MaxValue - MemoryAllowance) / Math.Max(MaxInflation, 1) ? long.MaxValue : fileLength * MaxInflation + MemoryAllowance;
}
