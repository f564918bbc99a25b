namespace Descent.Optim.Schedulers;

/// <summary>Python's integer arithmetic where it differs from C#'s (floor division and modulo round toward −∞).</summary>
internal static class PyMath
{
    /// <summary>Python's <c>a // b</c>.</summary>
    public static long FloorDiv(long a, long b)
    {
        if (b == 0) throw new DivideByZeroException("integer division or modulo by zero");
        long q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>Python's <c>a % b</c>: the result has the sign of <paramref name="b"/>.</summary>
    public static long Mod(long a, long b)
    {
        if (b == 0) throw new DivideByZeroException("integer modulo by zero");
        long r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    /// <summary>Python's <c>bisect.bisect_right</c>: the index after the last element ≤ <paramref name="x"/> (list assumed sorted).</summary>
    public static int BisectRight(IReadOnlyList<int> list, int x)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (x < list[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
