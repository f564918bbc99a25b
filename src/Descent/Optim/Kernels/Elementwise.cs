using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>
/// The one driver of the elementwise optimizer kernels (see <see cref="IElementwiseOp{TSelf}"/>): checks the buffers'
/// lengths, picks the vector width (<see cref="SimdWidth.Bits"/>), runs the rule's vector form over every whole
/// vector and its scalar element over the tail. <see cref="RunReference{TOp}"/> runs the scalar element alone: the
/// reference the vector path reproduces bit for bit.
/// </summary>
internal static class Elementwise
{
    /// <summary>One call of <paramref name="op"/>, vectorised; the slots it does not use may be empty.</summary>
    // Compiled at run time, not ahead of time (ReadyToRun): then the rule's vector form and its splats inline here,
    // which keeps the cost of a call low where calls are many and short (SparseAdam's rows, Adafactor's).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOp>(in TOp op, Span<float> param, ReadOnlySpan<float> grad = default,
        Span<float> a = default, Span<float> b = default, Span<float> c = default)
        where TOp : struct, IElementwiseOp<TOp>
    {
        CheckLengths(op, param.Length, grad.Length, a.Length, b.Length, c.Length);
        var s = new ElementSpans(param, grad, a, b, c);
        int done = !op.Vectorizable ? 0 : SimdWidth.Bits switch
        {
            512 => op.Vectorized<Vector512<float>, Simd512>(s),
            256 => op.Vectorized<Vector256<float>, Simd256>(s),
            _ => 0,
        };
        Elements(op, s, done);
    }

    /// <summary>One call of <paramref name="op"/>, element by element: the reference <see cref="Run{TOp}"/> reproduces.</summary>
    public static void RunReference<TOp>(in TOp op, Span<float> param, ReadOnlySpan<float> grad = default,
        Span<float> a = default, Span<float> b = default, Span<float> c = default)
        where TOp : struct, IElementwiseOp<TOp>
    {
        CheckLengths(op, param.Length, grad.Length, a.Length, b.Length, c.Length);
        Elements(op, new ElementSpans(param, grad, a, b, c), 0);
    }

    /// <summary>
    /// The vector loop: <paramref name="lanes"/> over every whole vector of <paramref name="s"/>, <c>S.Count</c>
    /// elements at a time; returns how many leading elements it updated. Called by a rule's
    /// <see cref="IElementwiseOp{TSelf}.Vectorized{TV, S}"/> with its own vector form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a step calls it once per chunk: too rarely for tiered JIT to promote it soon
    public static int Loop<TV, S, TLanes>(in TLanes lanes, scoped in ElementSpans s)
        where TV : struct where S : struct, ISimd<TV> where TLanes : struct, IVectorLanes<TV>
    {
        TLanes local = lanes; // a local copy: its splatted fields are loaded into registers once, before the loop
        int n = s.Param.Length - s.Param.Length % S.Count;
        ref float pr = ref SimdWidth.Ref(s.Param);
        ref float gr = ref SimdWidth.Ref(s.Grad);
        ref float ar = ref SimdWidth.Ref(s.A);
        ref float br = ref SimdWidth.Ref(s.B);
        ref float cr = ref SimdWidth.Ref(s.C);
        for (nuint i = 0; i < (nuint)n; i += (nuint)S.Count) local.Invoke(ref pr, ref gr, ref ar, ref br, ref cr, i);
        return n;
    }

    private static void CheckLengths<TOp>(in TOp op, int n, int grad, int a, int b, int c) where TOp : struct, IElementwiseOp<TOp>
    {
        var used = op.Buffers;
        if ((used & ElementBuffers.Grad) != 0 && grad != n) throw new ArgumentException(TOp.GradLengthError);
        if (((used & ElementBuffers.A) != 0 && a != n) || ((used & ElementBuffers.B) != 0 && b != n) || ((used & ElementBuffers.C) != 0 && c != n))
            throw new ArgumentException(TOp.StateLengthError);
    }

    // The scalar element from `start` on.
    private static void Elements<TOp>(in TOp op, scoped in ElementSpans s, int start) where TOp : struct, IElementwiseOp<TOp>
    {
        for (int i = start; i < s.Param.Length; i++) op.Element(s, i);
    }
}
