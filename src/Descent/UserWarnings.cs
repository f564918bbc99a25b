using System.Diagnostics;

namespace Descent;

/// <summary>
/// Where Descent reports what PyTorch reports with <c>warnings.warn(..., UserWarning)</c>: a calling-order
/// mistake, a deprecated argument. Every warning raises <see cref="Raised"/> and goes to
/// <see cref="Trace.TraceWarning(string)"/>; nothing is printed. Unlike Python's default filter, a warning is
/// raised every time, not once per call site, so a listener sees each occurrence.
/// </summary>
public static class UserWarnings
{
    /// <summary>Raised with the warning's text, on the thread that warned.</summary>
    public static event Action<string>? Raised;

    /// <summary>Reports <paramref name="message"/> to the listeners and to the trace.</summary>
    public static void Warn(string message)
    {
        Raised?.Invoke(message);
        Trace.TraceWarning(message);
    }
}
