using System.Text;
using System.Text.Json;

namespace Descent.Serialization;

/// <summary>
/// Keeps a loader's contract — bad data throws <see cref="InvalidDataException"/>, the file system
/// <see cref="IOException"/>, nothing else — even where a check was missed: an exception that only a bug lets
/// escape (an index or cast that a malformed file reached) is reported as bad data. Such a report carries
/// <see cref="UnexpectedKey"/> in its <see cref="Exception.Data"/>, so the fuzzing harness still counts it as a
/// finding.
/// </summary>
internal static class LoaderGuard
{
    /// <summary>Set in <see cref="Exception.Data"/> of an <see cref="InvalidDataException"/> that wraps a missed check.</summary>
    public const string UnexpectedKey = "Descent.UnexpectedException";

    public static T Run<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (IsMissedCheck(e))
        {
            var wrapped = new InvalidDataException($"malformed file ({e.GetType().Name}: {Cap(e.Message)})", e);
            wrapped.Data[UnexpectedKey] = true;
            throw wrapped;
        }
    }

    private static bool IsMissedCheck(Exception e) =>
        e is ArgumentException or IndexOutOfRangeException or InvalidCastException or OverflowException
            or KeyNotFoundException or NullReferenceException or FormatException or InvalidOperationException
            or NotSupportedException or EndOfStreamException or DecoderFallbackException or JsonException
            or ArithmeticException or RankException or ArrayTypeMismatchException;

    private static string Cap(string s) => s.Length > 200 ? s[..200] + "…" : s;
}
