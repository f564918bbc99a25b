namespace Descent.Optim;

/// <summary>An ordered list of hooks whose registrations are removed by disposing the returned handle.</summary>
internal sealed class HookList<T> where T : class
{
    private readonly List<T> hooks = [];
    private readonly Lock gate = new();

    public IDisposable Add(T hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        lock (gate) hooks.Add(hook);
        return new Handle(this, hook);
    }

    public T[] Snapshot()
    {
        lock (gate) return hooks.Count == 0 ? [] : [.. hooks];
    }

    public void Invoke(Action<T> call)
    {
        if (hooks.Count == 0) return;
        foreach (var h in Snapshot()) call(h);
    }

    /// <summary>
    /// As <see cref="Invoke(Action{T})"/>, passing <paramref name="arg"/> through so that <paramref name="call"/> can be
    /// a static lambda: a step that has no hooks then allocates nothing.
    /// </summary>
    public void Invoke<TArg>(Action<T, TArg> call, TArg arg)
    {
        if (hooks.Count == 0) return;
        foreach (var h in Snapshot()) call(h, arg);
    }

    private sealed class Handle(HookList<T> owner, T hook) : IDisposable
    {
        private bool removed;
        public void Dispose()
        {
            if (removed) return;
            removed = true;
            lock (owner.gate) owner.hooks.Remove(hook);
        }
    }
}
