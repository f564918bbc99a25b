using System.Numerics;

namespace Descent.Optim.Kernels;

/// <summary>
/// One optimizer's elementwise update rule for one call, in the style of System.Numerics.Tensors' operators: a struct
/// holding the step's scalars that updates one element (<see cref="Element"/>, the scalar reference) and names its
/// vector form (<see cref="Vectorized{TV, S}"/>), which <see cref="Elementwise"/> drives. The driver does the length
/// checks, the choice of vector width, the loop over whole vectors and the scalar tail, once for every kernel.
/// A rule is generic in the element type <c>T</c> (float or double): one rule steps float32 and float64 tensors.
/// </summary>
/// <remarks>
/// <para>
/// A call works on the parameter and up to four other buffers of its length, in fixed slots: <c>grad</c> (read
/// only) and the state slots <c>a</c>, <c>b</c>, <c>c</c>. Each rule gives the slots their meaning in its own names;
/// a slot it does not use in this call (see <see cref="Buffers"/>) may be empty and is not touched.
/// </para>
/// <para>
/// The vector form is a second struct, generic in the width, implementing <see cref="IVectorLanes{TV, T}"/>: its
/// constructor splats the rule's scalars once, and <see cref="Vectorized{TV, S}"/> is the one line
/// <c>Elementwise.Loop&lt;T, TV, S, Lanes&lt;T, TV, S&gt;&gt;(new Lanes&lt;T, TV, S&gt;(this), s)</c>. Splatting before the loop
/// rather than in it is what keeps the constants in registers: the JIT does not hoist a broadcast out of a loop.
/// Both that constructor and <see cref="Vectorized{TV, S}"/> are marked <c>AggressiveInlining</c>, so that a call of
/// the driver costs little where calls are many and short (SparseAdam calls it once per row).
/// </para>
/// </remarks>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
/// <typeparam name="T">The element type, float or double.</typeparam>
internal interface IElementwiseOp<TSelf, T> where TSelf : struct, IElementwiseOp<TSelf, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The optimizer's name, as the length errors give it.</summary>
    static abstract string Name { get; }

    /// <summary>The error when the gradient's length differs from the parameter's.</summary>
    static virtual string GradLengthError => $"{TSelf.Name} state and param lengths differ";

    /// <summary>The error when a used state buffer's length differs from the parameter's.</summary>
    static virtual string StateLengthError => $"{TSelf.Name} state and param lengths differ";

    /// <summary>The slots this call reads or writes besides the parameter; each must be as long as the parameter.</summary>
    ElementBuffers Buffers { get; }

    /// <summary>False when this call must take the scalar path alone (an argument only the reference refuses, say).</summary>
    bool Vectorizable { get; }

    /// <summary>Updates element <paramref name="i"/>: the scalar reference, PyTorch's operations in PyTorch's order.</summary>
    void Element(scoped in ElementSpans<T> s, int i);

    /// <summary>
    /// Runs the vector form over the whole vectors of <paramref name="s"/> through <see cref="Elementwise.Loop{T, TV, S, TLanes}"/>
    /// and returns how many leading elements it updated.
    /// </summary>
    int Vectorized<TV, S>(scoped in ElementSpans<T> s) where TV : struct where S : struct, ISimd<TV, T>;
}

/// <summary>
/// The vector form of an <see cref="IElementwiseOp{TSelf, T}"/> at one width: the rule's scalars already splatted, and
/// the update of one vector of elements with <see cref="IElementwiseOp{TSelf, T}.Element"/>'s operations in the same order
/// on every lane (a fused multiply-add only where the element has one, no other contraction).
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
internal interface IVectorLanes<TV, T> where TV : struct
{
    /// <summary>Updates the vector of elements at <paramref name="i"/>; the slot references are the spans' first elements.</summary>
    void Invoke(ref T param, ref T grad, ref T a, ref T b, ref T c, nuint i);
}

/// <summary>The slots an elementwise call uses besides the parameter.</summary>
[Flags]
internal enum ElementBuffers
{
    /// <summary>The parameter alone.</summary>
    None = 0,

    /// <summary>The read-only slot, usually the gradient.</summary>
    Grad = 1,

    /// <summary>The first state slot.</summary>
    A = 2,

    /// <summary>The second state slot.</summary>
    B = 4,

    /// <summary>The third state slot.</summary>
    C = 8,
}

/// <summary>The spans of one elementwise call, in the slots <see cref="IElementwiseOp{TSelf, T}"/> describes.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly ref struct ElementSpans<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> a, Span<T> b, Span<T> c)
{
    /// <summary>The parameter.</summary>
    public readonly Span<T> Param = param;

    /// <summary>The read-only slot.</summary>
    public readonly ReadOnlySpan<T> Grad = grad;

    /// <summary>The first state slot.</summary>
    public readonly Span<T> A = a;

    /// <summary>The second state slot.</summary>
    public readonly Span<T> B = b;

    /// <summary>The third state slot.</summary>
    public readonly Span<T> C = c;
}
