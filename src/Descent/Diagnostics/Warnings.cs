namespace Descent.Diagnostics;

/// <summary>
/// Python's <c>warnings.warn</c> for the library, its one warning channel: what PyTorch reports with a
/// UserWarning (a loss target of another size, an implicit softmax dim, a scheduler stepped before its optimizer, a
/// deprecated argument) is reported here instead of thrown. By default each distinct message is written once to
/// standard error as "UserWarning: ...", as Python's default filter does; <see cref="Handler"/> replaces that
/// output and sees every occurrence; <see cref="Capture"/> collects them instead, like
/// <c>warnings.catch_warnings(record=True)</c> (per async flow, so parallel tests do not see each other's warnings).
/// </summary>
public static class Warnings
{
    private static readonly HashSet<string> Shown = [];
    private static readonly AsyncLocal<List<string>?> Captured = new();

    /// <summary>Replaces the default stderr output for warnings that are not captured; null restores it.</summary>
    public static Action<string>? Handler { get; set; }

    /// <summary>Collects the warnings raised on this async flow until disposed, like <c>warnings.catch_warnings(record=True)</c>.</summary>
    public static CaptureScope Capture() => new();

    /// <summary>Reports <paramref name="message"/> as a UserWarning.</summary>
    public static void Warn(string message)
    {
        if (Captured.Value is { } list)
        {
            list.Add(message);
            return;
        }
        if (Handler is { } h)
        {
            h(message);
            return;
        }
        lock (Shown)
            if (!Shown.Add(message)) return;
        Console.Error.WriteLine("UserWarning: " + message);
    }

    /// <summary>The warnings raised while the scope is open.</summary>
    public sealed class CaptureScope : IDisposable
    {
        private readonly List<string>? previous;

        internal CaptureScope()
        {
            previous = Captured.Value;
            Captured.Value = Messages;
        }

        /// <summary>The messages, in order.</summary>
        public List<string> Messages { get; } = [];

        /// <inheritdoc/>
        public void Dispose() => Captured.Value = previous;
    }
}
