using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>
/// The float32 vector operations the fast optimizer kernels use, over one register width, so that each kernel's
/// body is written once and instantiated for <see cref="Vector512{T}"/> and <see cref="Vector256{T}"/>. Struct type
/// arguments make the JIT specialise and inline every call, so the generic body compiles to plain vector code.
/// Every operation rounds exactly as its scalar counterpart: IEEE add, sub, mul, div and sqrt are correctly rounded
/// in both forms, <see cref="Fma"/> rounds once like <see cref="MathF.FusedMultiplyAdd"/>, <see cref="Max"/> has
/// <see cref="MathF.Max"/>'s NaN and signed-zero rules, and <see cref="Neg"/> flips the sign bit like scalar negation.
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
internal interface ISimd<TV> where TV : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads <see cref="Count"/> floats from <paramref name="source"/> + <paramref name="index"/>.</summary>
    static abstract TV Load(ref float source, nuint index);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> + <paramref name="index"/>.</summary>
    static abstract void Store(TV value, ref float destination, nuint index);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TV Splat(float value);

    /// <summary>a + b.</summary>
    static abstract TV Add(TV a, TV b);

    /// <summary>a − b.</summary>
    static abstract TV Sub(TV a, TV b);

    /// <summary>a · b.</summary>
    static abstract TV Mul(TV a, TV b);

    /// <summary>a / b.</summary>
    static abstract TV Div(TV a, TV b);

    /// <summary>−a (the sign bit flipped).</summary>
    static abstract TV Neg(TV a);

    /// <summary>|a| (the sign bit cleared).</summary>
    static abstract TV Abs(TV a);

    /// <summary>√a, correctly rounded.</summary>
    static abstract TV Sqrt(TV a);

    /// <summary>a · b + c rounded once.</summary>
    static abstract TV Fma(TV a, TV b, TV c);

    /// <summary>The larger of a and b, NaN if either is NaN, +0 over −0 (as <see cref="MathF.Max"/>).</summary>
    static abstract TV Max(TV a, TV b);

    /// <summary>All-ones lanes where a &gt; b.</summary>
    static abstract TV GreaterThan(TV a, TV b);

    /// <summary>All-ones lanes where a &lt; b.</summary>
    static abstract TV LessThan(TV a, TV b);

    /// <summary>All-ones lanes where a == b.</summary>
    static abstract TV Equal(TV a, TV b);

    /// <summary>Lanes of <paramref name="ifTrue"/> where <paramref name="mask"/> is set, else of <paramref name="ifFalse"/>.</summary>
    static abstract TV Select(TV mask, TV ifTrue, TV ifFalse);
}

/// <summary>512-bit vectors (16 floats), used where <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Neg(Vector512<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Equal(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifTrue, Vector512<float> ifFalse) => Vector512.ConditionalSelect(mask, ifTrue, ifFalse);
}

/// <summary>256-bit vectors (8 floats), used where 512-bit ones are not accelerated.</summary>
internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Splat(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Neg(Vector256<float> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Equal(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifTrue, Vector256<float> ifFalse) => Vector256.ConditionalSelect(mask, ifTrue, ifFalse);
}

/// <summary>Which vector width the fast kernels use, and span helpers they share.</summary>
internal static class SimdWidth
{
    /// <summary>The widest accelerated width in bits: 512, 256, or 0 (scalar reference code only).</summary>
    public static readonly int Native = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    private static int bits = Native;

    /// <summary>
    /// The width the fast kernels use: <see cref="Native"/> by default; may be lowered to 256 or 0 (tests run every
    /// path on one machine). Values above <see cref="Native"/> are clamped to it.
    /// </summary>
    public static int Bits
    {
        get => bits;
        set => bits = value >= 512 && Native >= 512 ? 512 : value >= 256 && Native >= 256 ? 256 : 0;
    }

    /// <summary>A span's first element by reference (for the vector loads); any reference for an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref float Ref(Span<float> s) => ref MemoryMarshal.GetReference(s);

    /// <summary>As <see cref="Ref(Span{float})"/> for a read-only span (the kernels only load through it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref float Ref(ReadOnlySpan<float> s) => ref MemoryMarshal.GetReference(s);

    /// <summary>The elements from <paramref name="start"/> on; an unused (empty) optional buffer stays empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span<float> From(Span<float> s, int start) => s.IsEmpty ? s : s[start..];

    /// <summary>As <see cref="From(Span{float}, int)"/> for a read-only span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ReadOnlySpan<float> From(ReadOnlySpan<float> s, int start) => s.IsEmpty ? s : s[start..];
}
