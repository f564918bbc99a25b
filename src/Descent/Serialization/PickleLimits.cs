namespace Descent.Serialization;

/// <summary>
/// Bounds on what an unpickled file may make, so a hostile pickle cannot exhaust memory or the stack. Every
/// length inside a pickle is also checked against the bytes that remain before anything is allocated.
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
}
