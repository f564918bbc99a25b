namespace Descent.Tensors;

/// <summary>
/// Walks the rows (all but the innermost dimension) of up to three strided operands that share one shape,
/// keeping each operand's storage offset up to date. Dimensions that are contiguous in every operand are
/// merged first, so a dense tensor is one long row.
/// </summary>
internal ref struct RowWalker
{
    private readonly Span<int> shape;
    private readonly Span<int> s0, s1, s2;
    private readonly Span<int> index;
    private readonly int rank;
    private int rowsLeft;

    /// <summary>Length of each row.</summary>
    public readonly int RowLength;

    /// <summary>Innermost stride of each operand.</summary>
    public readonly int Inner0, Inner1, Inner2;

    /// <summary>Storage offset of the current row's first element, per operand.</summary>
    public int Off0, Off1, Off2;

    public RowWalker(ReadOnlySpan<int> fullShape, ReadOnlySpan<int> strides0, int off0,
        ReadOnlySpan<int> strides1, int off1, ReadOnlySpan<int> strides2, int off2, Span<int> scratch)
    {
        // scratch holds shape, three stride rows and the index: 5 * rank ints.
        int n = fullShape.Length;
        shape = scratch.Slice(0, n);
        s0 = scratch.Slice(n, n);
        s1 = scratch.Slice(2 * n, n);
        s2 = scratch.Slice(3 * n, n);
        index = scratch.Slice(4 * n, n);
        int r = 0;
        for (int d = 0; d < n; d++)
        {
            if (fullShape[d] == 1) continue;
            int st1 = strides1.Length > 0 ? strides1[d] : 0, st2 = strides2.Length > 0 ? strides2[d] : 0;
            if (r > 0 && s0[r - 1] == strides0[d] * fullShape[d] && s1[r - 1] == st1 * fullShape[d] && s2[r - 1] == st2 * fullShape[d])
            {
                shape[r - 1] *= fullShape[d];
                s0[r - 1] = strides0[d];
                s1[r - 1] = st1;
                s2[r - 1] = st2;
                continue;
            }
            shape[r] = fullShape[d];
            s0[r] = strides0[d];
            s1[r] = st1;
            s2[r] = st2;
            r++;
        }
        int total = ShapeHelper.Numel(fullShape);
        if (r == 0)
        {
            RowLength = total == 0 ? 0 : 1;
            Inner0 = Inner1 = Inner2 = 0;
        }
        else
        {
            RowLength = shape[r - 1];
            Inner0 = s0[r - 1];
            Inner1 = s1[r - 1];
            Inner2 = s2[r - 1];
        }
        rank = Math.Max(r - 1, 0);
        index.Clear();
        rowsLeft = RowLength == 0 ? 0 : total / RowLength;
        Off0 = off0 - 0;
        Off1 = off1;
        Off2 = off2;
        started = false;
    }

    private bool started;

    /// <summary>Moves to the next row; false when done.</summary>
    public bool MoveNext()
    {
        if (rowsLeft == 0) return false;
        rowsLeft--;
        if (!started)
        {
            started = true;
            return true;
        }
        for (int d = rank - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d])
            {
                Off0 += s0[d];
                Off1 += s1[d];
                Off2 += s2[d];
                return true;
            }
            Off0 -= s0[d] * (shape[d] - 1);
            Off1 -= s1[d] * (shape[d] - 1);
            Off2 -= s2[d] * (shape[d] - 1);
            index[d] = 0;
        }
        return true;
    }
}
