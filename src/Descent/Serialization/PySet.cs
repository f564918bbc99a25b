namespace Descent.Serialization;

/// <summary>
/// A Python set, as protocol 2 pickles one (<c>builtins.set([items])</c>): only a module's
/// <c>_non_persistent_buffers_set</c> is accepted; one anywhere else in a file is refused.
/// </summary>
internal sealed class PySet(List<object?> items)
{
    public List<object?> Items { get; } = items;
}
