namespace Descent.Autograd;

/// <summary>
/// The registration of a hook, returned by the methods that add one; <see cref="Remove"/> (or disposing) takes
/// the hook off again, like PyTorch's <c>torch.utils.hooks.RemovableHandle</c>.
/// </summary>
public sealed class RemovableHandle : IDisposable
{
    private Action? remove;

    internal RemovableHandle(Action remove) => this.remove = remove;

    /// <summary>Removes the hook; a second call does nothing.</summary>
    public void Remove() => Interlocked.Exchange(ref remove, null)?.Invoke();

    /// <summary>Same as <see cref="Remove"/>, for <c>using</c>.</summary>
    public void Dispose() => Remove();
}
