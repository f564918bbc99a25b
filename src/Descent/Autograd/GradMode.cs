namespace Descent.Autograd;

/// <summary>Whether operations record the autograd graph on this thread (PyTorch's grad mode).</summary>
public static class GradMode
{
    [ThreadStatic] private static bool disabled;

    /// <summary>True unless inside <see cref="Torch.NoGrad"/>.</summary>
    public static bool IsEnabled => !disabled;

    /// <summary>Sets grad mode; returns a scope that restores the previous mode when disposed.</summary>
    public static Scope Set(bool enabled)
    {
        var previous = !disabled;
        disabled = !enabled;
        return new Scope(previous);
    }

    /// <summary>Restores the previous grad mode on dispose.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool previous;
        internal Scope(bool previous) => this.previous = previous;
        /// <inheritdoc/>
        public void Dispose() => disabled = !previous;
    }
}
