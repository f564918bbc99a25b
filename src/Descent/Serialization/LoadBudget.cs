namespace Descent.Serialization;

/// <summary>
/// The work and memory one pickle load may spend, both proportional to its input (<see cref="PickleLimits"/>).
/// Work is counted in units the reader charges; memory is what this thread actually allocated since the load
/// began, less what was credited for the file's own storages (their bytes are in the file, so they scale with it).
/// </summary>
internal sealed class LoadBudget
{
    private const long WorkAllowance = 1 << 20;
    private readonly long maxWork;
    private readonly long startAllocated = GC.GetAllocatedBytesForCurrentThread();
    private long work;
    private long allowance;

    public LoadBudget(long inputBytes, PickleLimits limits)
    {
        maxWork = WorkAllowance + inputBytes * limits.WorkPerByte;
        allowance = limits.MemoryAllowance + inputBytes * limits.MemoryPerByte;
    }

    /// <summary>Spends <paramref name="units"/> of work.</summary>
    public void Charge(long units)
    {
        work = units > maxWork - work ? maxWork + 1 : work + units;
        if (work > maxWork)
            throw new InvalidDataException($"pickle needs more than {maxWork} units of work for its size (repeated large keys or containers?); refused");
    }

    /// <summary>Spends the work of hashing and comparing <paramref name="key"/> once.</summary>
    public void ChargeKey(object? key)
    {
        long w = PyTuple.WeightOf(key);
        Charge(w > long.MaxValue / 4 ? long.MaxValue / 2 : 2 * w + 1);
    }

    /// <summary>Allows <paramref name="bytes"/> more allocation (a storage read from the file).</summary>
    public void Credit(long bytes) => allowance += bytes;

    /// <summary>Throws when this thread has allocated more than allowed since the load began.</summary>
    public void CheckMemory()
    {
        long used = GC.GetAllocatedBytesForCurrentThread() - startAllocated;
        if (used > allowance)
            throw new InvalidDataException($"pickle needs more than {allowance} bytes of memory for its size; refused");
    }

    /// <summary>Runs <paramref name="load"/> and credits whatever it allocated (reading a storage the file holds).</summary>
    public T Credited<T>(Func<T> load)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = load();
        Credit(GC.GetAllocatedBytesForCurrentThread() - before);
        return result;
    }
}
