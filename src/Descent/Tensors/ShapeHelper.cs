using System.Text;

namespace Descent.Tensors;

/// <summary>Shape arithmetic: element counts, contiguous strides, broadcasting, dimension wrapping.</summary>
internal static class ShapeHelper
{
    /// <summary>PyTorch's text when a view's element count overflows (<c>TensorImpl::safe_compute_numel</c>).</summary>
    public const string NumelOverflow = "numel: integer multiplication overflow";

    /// <summary>The largest size, stride or offset Descent represents: they are <see cref="int"/>s.</summary>
    private const long MaxIndex = int.MaxValue;

    /// <summary>
    /// The element count as PyTorch computes it for a view (<c>TensorImpl::safe_compute_numel</c>): the product of the
    /// sizes as unsigned 64-bit values, which must neither overflow at any point (even when a later size is 0) nor
    /// exceed <see cref="long.MaxValue"/>; a negative size counts as a huge one, so it fails too.
    /// </summary>
    public static long CheckedNumel(ReadOnlySpan<int> shape)
    {
        if (!TryProduct(shape, out ulong n) || n > long.MaxValue) throw new ArgumentException(NumelOverflow);
        return (long)n;
    }

    /// <summary>
    /// The element count, checked like <see cref="CheckedNumel"/> and then against Descent's 32-bit element
    /// counts: a view (an expanded tensor) can describe more elements than that.
    /// </summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = CheckedNumel(shape);
        if (n > MaxIndex)
            throw new ArgumentException(
                $"a tensor of sizes={Format(shape)} has {n} elements; Descent counts elements in 32 bits (at most {int.MaxValue})");
        return (int)n;
    }

    /// <summary>
    /// The element count of a new contiguous storage for <paramref name="shape"/>, with PyTorch's checks
    /// (<c>check_size_nonnegative</c>, then <c>computeStorageNbytesContiguous</c>: the product of the sizes and the
    /// byte count must not overflow 64 bits), then the .NET limit: a storage is one array of at most
    /// <see cref="Array.MaxLength"/> elements.
    /// </summary>
    public static int StorageLength(ReadOnlySpan<int> shape, int elementSize)
    {
        foreach (var s in shape)
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: {Format(shape)}");
        bool ok = TryProduct(shape, out ulong n);
        ok &= Math.BigMul(n, (ulong)elementSize, out ulong bytes) == 0 && bytes <= long.MaxValue;
        if (!ok) throw new ArgumentException($"Storage size calculation overflowed with sizes={Format(shape)}");
        if (n > (ulong)Array.MaxLength)
            throw new ArgumentException(
                $"Storage of {n} elements for sizes={Format(shape)} is larger than a .NET array can hold ({Array.MaxLength} elements)");
        return (int)n;
    }

    /// <summary>
    /// c10's <c>safe_multiplies_u64</c>: the product of the sizes as unsigned 64-bit values; false when any partial
    /// product overflowed, even if a later size is 0.
    /// </summary>
    private static bool TryProduct(ReadOnlySpan<int> shape, out ulong product)
    {
        ulong n = 1;
        bool ok = true;
        foreach (var s in shape)
            ok &= Math.BigMul(n, (ulong)(long)s, out n) == 0;
        product = n;
        return ok;
    }

    /// <summary>
    /// <paramref name="value"/> as a size, stride or offset of a tensor of <paramref name="shape"/>, or an exception
    /// saying it does not fit in Descent's 32 bits (PyTorch's are 64-bit).
    /// </summary>
    public static int Index(long value, string what, ReadOnlySpan<int> shape)
    {
        if (value > MaxIndex || value < -MaxIndex)
            throw new ArgumentException(
                $"{what} {value} of a tensor of sizes={Format(shape)} does not fit in 32 bits: Descent's sizes, strides and offsets are at most {int.MaxValue}");
        return (int)value;
    }

    /// <summary>Row-major strides; a size-0 dimension counts as size 1, as in PyTorch.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = Index(s, "stride", shape);
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        // An empty tensor has no elements to be out of place.
        foreach (var s in shape) if (s == 0) return true;
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>
    /// Strides that let a tensor of <paramref name="oldShape"/>/<paramref name="oldStrides"/> be viewed as
    /// <paramref name="newShape"/> without copying, or null when impossible: PyTorch's computeStride. Each run of
    /// old dims that is contiguous within itself may be split or merged; runs may not be merged together.
    /// </summary>
    public static int[]? ComputeViewStrides(int[] oldShape, int[] oldStrides, int[] newShape)
    {
        var newStrides = new int[newShape.Length];
        if (oldShape.Length == 0)
        {
            Array.Fill(newStrides, 1);
            return newStrides;
        }
        int numel = Numel(oldShape);
        if (numel == 0 && SameShape(oldShape, newShape)) return (int[])oldStrides.Clone();
        if (numel == 0)
        {
            for (int d = newShape.Length - 1; d >= 0; d--)
                newStrides[d] = d == newShape.Length - 1 ? 1 : Index((long)Math.Max(newShape[d + 1], 1) * newStrides[d + 1], "stride", newShape);
            return newStrides;
        }
        int viewD = newShape.Length - 1;
        // The stride of the innermost dim of the current run of old dims.
        long chunkBaseStride = oldStrides[^1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = oldShape.Length - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= oldShape[tensorD];
            // A run ends where the next outer dim is not laid out right after this run.
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = Index(viewNumel * chunkBaseStride, "stride", newShape);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (tensorD > 0)
                {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /// <summary>Whether the elements fill a block of memory without gaps or repeats in some order of the dims.</summary>
    public static bool IsNonOverlappingAndDense(int[] shape, int[] strides)
    {
        var dims = new List<int>();
        for (int d = 0; d < shape.Length; d++) if (shape[d] != 1) dims.Add(d);
        dims.Sort((x, y) => strides[x].CompareTo(strides[y]));
        long expected = 1;
        foreach (var d in dims)
        {
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>Wraps a possibly negative dimension, with PyTorch's error text.</summary>
    public static int WrapDim(int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            // No parameter name: it would append " (Parameter 'dim')" to PyTorch's text.
            throw new ArgumentOutOfRangeException(
                $"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})", (Exception?)null);
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>The broadcast shape of two shapes, PyTorch's rules; throws naming both shapes.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)];
            int db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}; " +
                    $"shapes {Format(a)} and {Format(b)} cannot be broadcast together");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>PyTorch's <c>torch.Size</c> text: <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }
}
