namespace Descent.Tensors;

// Row-sparse gradients. Descent has no sparse layout: a sparse embedding's gradient is a dense tensor that also
// lists the rows present in it (sorted, each once: a coalesced torch.sparse_coo gradient's indices). Rows not listed
// are zero. SparseAdam updates exactly the listed rows; optimizers that refuse sparse gradients test the list.
public sealed partial class Tensor
{
    // The rows present (along dimension 0) of a row-sparse gradient, or null for an ordinary dense tensor.
    internal long[]? sparseRows;

    /// <summary>
    /// Whether this is a row-sparse gradient (from an <c>Embedding</c> with <c>sparse: true</c>), like PyTorch's
    /// <c>is_sparse</c>. Its values are stored dense; <see cref="SparseRows"/> lists the rows present.
    /// </summary>
    public bool IsSparse => sparseRows is not null;

    /// <summary>The rows present in a row-sparse gradient, sorted and each once (the coalesced indices); null when dense.</summary>
    public IReadOnlyList<long>? SparseRows => sparseRows;

    /// <summary>Marks this tensor row-sparse with <paramref name="rows"/> present (sorted, distinct), or dense for null.</summary>
    internal Tensor MarkRowSparse(long[]? rows)
    {
        sparseRows = rows;
        return this;
    }

    /// <summary>The union of two sorted, distinct row lists.</summary>
    internal static long[] UnionRows(long[] a, long[] b)
    {
        var r = new List<long>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (j == b.Length || (i < a.Length && a[i] < b[j])) r.Add(a[i++]);
            else if (i == a.Length || b[j] < a[i]) r.Add(b[j++]);
            else { r.Add(a[i++]); j++; }
        }
        return [.. r];
    }
}
