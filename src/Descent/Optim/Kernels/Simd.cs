using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Descent.Optim.Kernels;

/// <summary>
/// The vector operations the fast optimizer kernels use, over one register width and one element type (float or
/// double), so that each kernel's body is written once and instantiated for <see cref="Vector512{T}"/> and
/// <see cref="Vector256{T}"/> of float32 and float64. Struct type arguments make the JIT specialise and inline every
/// call, so the generic body compiles to plain vector code. Every operation rounds exactly as its scalar counterpart:
/// IEEE add, sub, mul, div and sqrt are correctly rounded in both forms, <see cref="Fma"/> rounds once like
/// <c>T.FusedMultiplyAdd</c>, <see cref="Max"/> has <see cref="MathF.Max"/>'s (and <see cref="Math.Max(double, double)"/>'s)
/// NaN and signed-zero rules, and <see cref="Neg"/> flips the sign bit like scalar negation.
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
internal interface ISimd<TV, T> where TV : struct where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads <see cref="Count"/> elements from <paramref name="source"/> + <paramref name="index"/>.</summary>
    static abstract TV Load(ref T source, nuint index);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> + <paramref name="index"/>.</summary>
    static abstract void Store(TV value, ref T destination, nuint index);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TV Splat(T value);

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

/// <summary>512-bit vectors (16 floats or 8 doubles), used where <see cref="Vector512.IsHardwareAccelerated"/>.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Simd512<T> : ISimd<Vector512<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T source, nuint index) => Vector512.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sub(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Mul(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Div(Vector512<T> a, Vector512<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Neg(Vector512<T> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Abs(Vector512<T> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Max(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> GreaterThan(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> LessThan(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Equal(Vector512<T> a, Vector512<T> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Select(Vector512<T> mask, Vector512<T> ifTrue, Vector512<T> ifFalse) => Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

    // FusedMultiplyAdd has no generic overload; the type test is resolved when the method is compiled.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
}

/// <summary>256-bit vectors (8 floats or 4 doubles), used where 512-bit ones are not accelerated.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct Simd256<T> : ISimd<Vector256<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T source, nuint index) => Vector256.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sub(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Mul(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Div(Vector256<T> a, Vector256<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Neg(Vector256<T> a) => -a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Abs(Vector256<T> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> GreaterThan(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> LessThan(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Equal(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Select(Vector256<T> mask, Vector256<T> ifTrue, Vector256<T> ifFalse) => Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    // FusedMultiplyAdd has no generic overload; the type test is resolved when the method is compiled.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
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
    internal static ref T Ref<T>(Span<T> s) => ref MemoryMarshal.GetReference(s);

    /// <summary>As <see cref="Ref{T}(Span{T})"/> for a read-only span (the kernels only load through it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref T Ref<T>(ReadOnlySpan<T> s) => ref MemoryMarshal.GetReference(s);
}
