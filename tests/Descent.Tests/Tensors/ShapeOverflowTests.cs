using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Tensors;

/// <summary>
/// Sizes, strides and offsets whose arithmetic overflows. Messages are PyTorch 1.13's exact text where PyTorch
/// refuses the same call (checked with torch 1.13 and against current ATen: EmptyTensor.cpp, TensorImpl.h,
/// InferSize.h, RangeFactories.cpp); where PyTorch accepts it but Descent cannot represent it (32-bit sizes,
/// strides and offsets, storages that are .NET arrays) Descent's own message says so.
/// </summary>
public class ShapeOverflowTests
{
    private const int Big = 65536;

    // 4 · 5 · 5581 · 8681 · 49477 · 384773 = 4 · (2^62 + 1) = 2^64 + 4: a product that wraps to 4 in 64 bits.
    private static readonly int[] WrapsTo4 = [4, 5, 5581, 8681, 49477, 384773];

    private const string Array32 = "is larger than a .NET array can hold (2147483591 elements)";
    private const string Bits32 = "does not fit in 32 bits: Descent's sizes, strides and offsets are at most 2147483647";

    // An empty tensor viewed with sizes whose product is far past its element count: strides stay 0.
    private static Tensor EmptyWide() => Tensor.Zeros(0, 1, 1).Expand(0, Big, Big);

    private static readonly Dictionary<string, (Func<object> Call, string Message)> Table = new()
    {
        // Factories: PyTorch's messages.
        ["zeros of four 65536s"] = (() => Tensor.Zeros(Big, Big, Big, Big),
            "Storage size calculation overflowed with sizes=[65536, 65536, 65536, 65536]"),
        ["empty of four 65536s"] = (() => Tensor.Empty(Big, Big, Big, Big),
            "Storage size calculation overflowed with sizes=[65536, 65536, 65536, 65536]"),
        ["ones whose product wraps to 4"] = (() => Tensor.Ones(WrapsTo4),
            "Storage size calculation overflowed with sizes=[4, 5, 5581, 8681, 49477, 384773]"),
        ["an overflow before a size 0 still counts"] = (() => Tensor.Zeros(Big, Big, Big, Big, 0),
            "Storage size calculation overflowed with sizes=[65536, 65536, 65536, 65536, 0]"),
        ["product fits, byte count does not"] = (() => Tensor.Zeros(int.MaxValue, int.MaxValue),
            "Storage size calculation overflowed with sizes=[2147483647, 2147483647]"),
        ["negative size"] = (() => Tensor.Zeros(-1, 2), "Trying to create tensor with negative dimension -1: [-1, 2]"),
        ["full with a negative size"] = (() => Tensor.Full([-3], 1.0), "Trying to create tensor with negative dimension -3: [-3]"),
        ["from an array, product wraps to 4"] = (() => Tensor.FromArray(new float[4], WrapsTo4),
            "Storage size calculation overflowed with sizes=[4, 5, 5581, 8681, 49477, 384773]"),
        ["from an array, negative sizes"] = (() => Tensor.FromArray(new float[4], -2, -2),
            "Trying to create tensor with negative dimension -2: [-2, -2]"),
        ["eye of -1"] = (() => Tensor.Eye(-1), "n must be greater or equal to 0, got -1"),
        ["eye of 2 by -1"] = (() => Tensor.Eye(2, -1), "m must be greater or equal to 0, got -1"),
        ["arange to 1e30"] = (() => Tensor.Arange(0, 1e30), "invalid size, possible overflow?"),
        ["arange to nan"] = (() => Tensor.Arange(0, double.NaN), "unsupported range: 0 -> nan"),
        ["arange to inf"] = (() => Tensor.Arange(0, double.PositiveInfinity), "unsupported range: 0 -> inf"),
        ["arange with a nan step"] = (() => Tensor.Arange(0, 1, double.NaN), "step must be nonzero"),

        // Factories: fits PyTorch, not a .NET array.
        ["zeros of 65536 by 65536"] = (() => Tensor.Zeros(Big, Big), $"Storage of 4294967296 elements for sizes=[65536, 65536] {Array32}"),
        ["bool matrix of 2^62 bytes"] = (() => Tensor.Zeros([int.MaxValue, int.MaxValue], DType.Bool),
            $"Storage of 4611686014132420609 elements for sizes=[2147483647, 2147483647] {Array32}"),
        ["arange of 1e10 values"] = (() => Tensor.Arange(0, 1e10), $"Storage of 10000000000 elements for sizes=[10000000000] {Array32}"),
        ["empty tensor with a 2^32 stride"] = (() => Tensor.Zeros(0, Big, Big),
            $"stride 4294967296 of a tensor of sizes=[0, 65536, 65536] {Bits32}"),

        // Views: PyTorch's messages.
        ["view of 4 values as four 65536s"] = (() => Tensor.Zeros(4).View(Big, Big, Big, Big),
            "shape '[65536, 65536, 65536, 65536]' is invalid for input of size 4"),
        // PyTorch's 64-bit product wraps to 4 and matches; 1.13 then fails on the strides ("view size is not
        // compatible ..."), Descent on the element count, before any stride is computed.
        ["view of 4 values, product wraps to 4"] = (() => Tensor.Zeros(4).View(WrapsTo4), "numel: integer multiplication overflow"),
        ["reshape with -1 and four 65536s"] = (() => Tensor.Zeros(4).Reshape(-1, Big, Big, Big, Big),
            "shape '[-1, 65536, 65536, 65536, 65536]' is invalid for input of size 4"),
        ["view of nothing, overflow before a 0"] = (() => Tensor.Zeros(0).View(Big, Big, Big, Big, 0), "numel: integer multiplication overflow"),
        ["reshape of nothing with -1"] = (() => Tensor.Zeros(0).Reshape(-1, Big, Big, Big, Big),
            "cannot reshape tensor of 0 elements into shape [-1, 65536, 65536, 65536, 65536] because the unspecified dimension size -1 can be any value and is ambiguous"),
        ["reshape of nothing as -1 by 0"] = (() => Tensor.Zeros(0).Reshape(-1, 0),
            "cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any value and is ambiguous"),
        ["expand to four 65536s"] = (() => Tensor.Zeros(1).Expand(Big, Big, Big, Big), "numel: integer multiplication overflow"),
        ["expand to -2"] = (() => Tensor.Zeros(1).Expand(-2), "numel: integer multiplication overflow"),
        ["expand a leading dim to -2"] = (() => Tensor.Zeros(1).Expand(-2, 1), "numel: integer multiplication overflow"),

        // Views: fits PyTorch (64-bit), not Descent (32-bit).
        ["numel of an expanded 65536 by 65536"] = (() => Tensor.Zeros(1).Expand(Big, Big).Numel,
            "a tensor of sizes=[65536, 65536] has 4294967296 elements; Descent counts elements in 32 bits (at most 2147483647)"),
        ["view of nothing with a 2^32 stride"] = (() => Tensor.Zeros(0).View(0, Big, Big),
            $"stride 4294967296 of a tensor of sizes=[0, 65536, 65536] {Bits32}"),
        ["slice step past the stride range"] = (() => Tensor.Zeros(2, 4).Slice(0, step: int.MaxValue),
            $"stride 8589934588 of a tensor of sizes=[1, 4] {Bits32}"),
        ["flatten past 2^31"] = (() => EmptyWide().Flatten(1), $"size 4294967296 of a tensor of sizes=[0, 65536, 65536] {Bits32}"),
        ["sum over 2^32 elements a row"] = (() => EmptyWide().Sum([1, 2]),
            "a tensor of sizes=[65536, 65536] has 4294967296 elements; Descent counts elements in 32 bits (at most 2147483647)"),
        ["cat past 2^31"] = (() => Tensor.Cat([Tensor.Zeros(1).Expand(1 << 30), Tensor.Zeros(1).Expand(1 << 30)]),
            $"cat(): the result's size 2147483648 along dimension 0 {Bits32}"),
    };

    public static TheoryData<string> Cases() => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void RefusedWithItsMessage(string name)
    {
        var (call, message) = Table[name];
        var e = Assert.Throws<ArgumentException>(() => call());
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void SliceWithTheLargestStepStillWorks()
    {
        // PyTorch: torch.arange(4.)[::2**31 - 1] has shape (1,) and stride (2147483647,). Before the size was computed
        // in 64 bits, e − s + step − 1 overflowed and the slice had a negative size.
        var x = Tensor.Arange(1, 5).Slice(0, step: int.MaxValue);
        Assert.Equal([1], x.Shape);
        Assert.Equal([int.MaxValue], x.Strides);
        Assert.Equal([1f], x.ToArray());
    }

    [Fact]
    public void LargestStridesThatFitAreKept()
    {
        // Sizes [0, 32767, 65536] give a first stride of 2147418112, which fits; [0, 32768, 65536] would need 2^31.
        var t = Tensor.Zeros(0, 32767, Big);
        Assert.Equal([32767 * Big, Big, 1], t.Strides);
        Assert.Equal(0, t.Numel);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 32768, Big));
    }
}
