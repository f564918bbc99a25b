namespace Descent.Serialization;

/// <summary>Checks a saved tensor's view (shape, strides, offset) against its storage before anything is built.</summary>
internal static class TensorGeometry
{
    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless every element the view addresses lies inside a storage of
    /// <paramref name="storageNumel"/> elements and the element count fits in an <see cref="int"/>.
    /// </summary>
    public static void Check(int[] shape, int[] strides, long offset, long storageNumel, string what)
    {
        if (shape.Length != strides.Length)
            throw new InvalidDataException($"{what}: shape has {shape.Length} dimensions but stride has {strides.Length}");
        if (offset < 0) throw new InvalidDataException($"{what}: negative storage offset {offset}");
        if (shape.Length > 64) throw new InvalidDataException($"{what}: {shape.Length} dimensions (at most 64)");
        long numel = 1, last = offset;
        foreach (int s in shape)
            if (s < 0) throw new InvalidDataException($"{what}: negative size {s}");
        bool overflow = false;
        for (int d = 0; d < shape.Length; d++)
        {
            if (strides[d] < 0) throw new InvalidDataException($"{what}: negative stride {strides[d]}");
            // As ATen's numel: the product in 64 bits, an overflow reported even if a later size is 0.
            overflow |= shape[d] != 0 && numel > long.MaxValue / shape[d];
            numel = overflow ? 0 : numel * shape[d];
        }
        if (overflow) throw new InvalidDataException($"{what}: numel: integer multiplication overflow");
        if (numel > int.MaxValue) throw new InvalidDataException($"{what}: {numel} elements, more than {int.MaxValue}");
        if (numel == 0) return;
        // Every term is below 2^62 and we stop once past the storage, so the sum cannot overflow.
        for (int d = 0; d < shape.Length && last < storageNumel; d++) last += (long)(shape[d] - 1) * strides[d];
        if (last >= storageNumel)
            throw new InvalidDataException($"{what}: view reaches element {last} but the storage has {storageNumel}");
    }
}
