using System.Numerics;
using System.Runtime.CompilerServices;

namespace Descent.Optim.Kernels;

/// <summary>
/// The part of the update Adam, NAdam and RAdam share, in the order PyTorch's single-tensor functions compute it:
/// g ← ±grad, then weight decay (coupled: g ← g + wd·p; decoupled: p ← p·(1 − lr·wd)), then
/// m ← lerp(m, g, 1 − β₁) and v ← β₂·v + (1 − β₂)·g², the latter as ATen's compiled <c>addcmul_</c> evaluates it:
/// fma((1 − β₂)·g, g, β₂·v), its vectorised <c>self + value·t1·t2</c> contracted to one FMA. Inlined into each
/// kernel, so the code each kernel runs, and its rounding, is what it was when written out in place.
/// </summary>
internal static class AdamMoments
{
    /// <summary>One element: updates <paramref name="p"/>, <paramref name="m"/>, <paramref name="v"/> and returns the decayed gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Update<T>(T grad, ref T p, ref T m, ref T v, bool maximize, T weightDecay,
        bool decoupled, T decay, T beta1Weight, T beta2, T oneMinusBeta2) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T g = maximize ? -grad : grad;
        if (weightDecay != T.Zero)
        {
            if (decoupled) p *= decay;
            else g = T.FusedMultiplyAdd(p, weightDecay, g);
        }
        m = Fp.Lerp(m, g, beta1Weight);
        v = T.FusedMultiplyAdd(oneMinusBeta2 * g, g, v * beta2);
        return g;
    }

    /// <summary>
    /// A vector of elements. <paramref name="lerpWeight"/> is Fp.Lerp's weight for its side: w when
    /// <paramref name="lowWeight"/> (|w| &lt; 0.5), else w − 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<T, TV, S>(ref TV g, ref TV p, ref TV m, ref TV v, bool maximize, bool decoupled, bool coupled,
        bool lowWeight, TV weightDecay, TV decay, TV lerpWeight, TV beta2, TV oneMinusBeta2)
        where T : unmanaged where TV : struct where S : struct, ISimd<TV, T>
    {
        if (maximize) g = S.Neg(g);
        if (decoupled) p = S.Mul(p, decay);
        else if (coupled) g = S.Fma(p, weightDecay, g);
        m = S.Fma(lerpWeight, S.Sub(g, m), lowWeight ? m : g);
        v = S.Fma(S.Mul(oneMinusBeta2, g), g, S.Mul(v, beta2));
    }

    /// <summary>Fp.Lerp's side for weight <paramref name="w"/>: whether |w| &lt; 0.5, and the weight that side multiplies by.</summary>
    public static (bool Low, T Weight) LerpSide<T>(T w) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        bool low = T.Abs(w) < Fp.Half<T>();
        return (low, low ? w : w - T.One);
    }
}
