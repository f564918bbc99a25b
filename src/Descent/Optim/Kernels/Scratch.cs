using System.Numerics;
using System.Runtime.InteropServices;

namespace Descent.Optim.Kernels;

/// <summary>
/// A scratch buffer an optimizer keeps between steps, one array per element type (float, double), each grown to the
/// largest request: a warm step allocates nothing. One request's span is valid until the next of the same type.
/// </summary>
internal sealed class Scratch
{
    private float[] floats = [];
    private double[] doubles = [];

    /// <summary><paramref name="length"/> elements of <typeparamref name="T"/>, contents unspecified.</summary>
    public Span<T> Get<T>(int length) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            if (floats.Length < length) floats = new float[length];
            return MemoryMarshal.Cast<float, T>(floats.AsSpan(0, length));
        }
        if (doubles.Length < length) doubles = new double[length];
        return MemoryMarshal.Cast<double, T>(doubles.AsSpan(0, length));
    }
}
