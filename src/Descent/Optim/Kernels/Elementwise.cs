using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>
/// The one driver of the elementwise optimizer kernels (see <see cref="IElementwiseOp{TSelf, T}"/>): checks the buffers'
/// lengths, picks the vector width (<see cref="SimdWidth.Bits"/>), runs the rule's vector form over every whole
/// vector and its scalar element over the tail. <see cref="RunReference{T, TOp}"/> runs the scalar element alone: the
/// reference the vector path reproduces bit for bit. The element type is float or double, one instantiation each.
/// </summary>
internal static class Elementwise
{
    /// <summary>One call of <paramref name="op"/>, vectorised; the slots it does not use may be empty.</summary>
    // Compiled at run time, not ahead of time (ReadyToRun): then the rule's vector form and its splats inline here,
    // which keeps the cost of a call low where calls are many and short (SparseAdam's rows, Adafactor's).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TOp>(in TOp op, Span<T> param, ReadOnlySpan<T> grad = default,
        Span<T> a = default, Span<T> b = default, Span<T> c = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TOp : struct, IElementwiseOp<TOp, T>
    {
        CheckLengths<T, TOp>(op, param.Length, grad.Length, a.Length, b.Length, c.Length);
        var s = new ElementSpans<T>(param, grad, a, b, c);
        int done = !op.Vectorizable ? 0 : SimdWidth.Bits switch
        {
            512 => op.Vectorized<Vector512<T>, Simd512<T>>(s),
            256 => op.Vectorized<Vector256<T>, Simd256<T>>(s),
            _ => 0,
        };
        Elements<T, TOp>(op, s, done);
    }

    /// <summary>One call of <paramref name="op"/>, element by element: the reference <see cref="Run{T, TOp}"/> reproduces.</summary>
    public static void RunReference<T, TOp>(in TOp op, Span<T> param, ReadOnlySpan<T> grad = default,
        Span<T> a = default, Span<T> b = default, Span<T> c = default)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TOp : struct, IElementwiseOp<TOp, T>
    {
        CheckLengths<T, TOp>(op, param.Length, grad.Length, a.Length, b.Length, c.Length);
        Elements<T, TOp>(op, new ElementSpans<T>(param, grad, a, b, c), 0);
    }

    /// <summary>
    /// The vector loop: <paramref name="lanes"/> over every whole vector of <paramref name="s"/>, <c>S.Count</c>
    /// elements at a time; returns how many leading elements it updated. Called by a rule's
    /// <see cref="IElementwiseOp{TSelf, T}.Vectorized{TV, S}"/> with its own vector form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    public static int Loop<T, TV, S, TLanes>(in TLanes lanes, scoped in ElementSpans<T> s)
        where TV : struct where S : struct, ISimd<TV, T> where TLanes : struct, IVectorLanes<TV, T> where T : unmanaged
    {
        TLanes local = lanes; // a local copy: its splatted fields are loaded into registers once, before the loop
        int n = s.Param.Length - s.Param.Length % S.Count;
        ref T pr = ref SimdWidth.Ref(s.Param);
        ref T gr = ref SimdWidth.Ref(s.Grad);
        ref T ar = ref SimdWidth.Ref(s.A);
        ref T br = ref SimdWidth.Ref(s.B);
        ref T cr = ref SimdWidth.Ref(s.C);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count) local.Invoke(ref pr, ref gr, ref ar, ref br, ref cr, i);
        return n;
    }

    private static void CheckLengths<T, TOp>(in TOp op, int n, int grad, int a, int b, int c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TOp : struct, IElementwiseOp<TOp, T>
    {
        var used = op.Buffers;
        if ((used & ElementBuffers.Grad) != 0 && grad != n) throw new ArgumentException(TOp.GradLengthError);
        if (((used & ElementBuffers.A) != 0 && a != n) || ((used & ElementBuffers.B) != 0 && b != n) || ((used & ElementBuffers.C) != 0 && c != n))
            throw new ArgumentException(TOp.StateLengthError);
    }

    // The scalar element from `start` on.
    private static void Elements<T, TOp>(in TOp op, scoped in ElementSpans<T> s, int start)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TOp : struct, IElementwiseOp<TOp, T>
    {
        for (int i = start; i < s.Param.Length; i++) op.Element(s, i);
    }
}
