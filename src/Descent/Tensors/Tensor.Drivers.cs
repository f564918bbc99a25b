using System.Buffers;
using System.Numerics;
using Descent.Kernels;

namespace Descent.Tensors;

// The drivers that run span ops over strided, broadcast tensors. Autograd-free: the public ops wrap them.
public sealed partial class Tensor
{
    internal static void RequireFloat(Tensor t, string op)
    {
        if (!t.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{op}\" not implemented for '{t.DType.TorchName()}'; convert with To(DType.Float32) first.");
    }

    /// <summary>This tensor's strides viewed at a broadcast <paramref name="target"/> shape (0 on broadcast dims).</summary>
    internal int[] BroadcastStrides(int[] target)
    {
        var r = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
            r[lead + d] = shape[d] == 1 && target[lead + d] != 1 ? 0 : strides[d];
        return r;
    }

    internal static Tensor MapUnary<TOp>(Tensor x, TOp op) where TOp : struct, IUnarySpanOp
    {
        var xc = x.Contiguous();
        var r = AllocateForOverwrite(x.DType, (int[])x.shape.Clone());
        if (x.DType == DType.Float32) op.Invoke(xc.AsSpan<float>(), r.AsSpan<float>());
        else op.Invoke(xc.AsSpan<double>(), r.AsSpan<double>());
        return r;
    }

    /// <summary>Applies a unary op in place; a strided tensor is computed densely and copied back.</summary>
    internal static void MapUnaryInPlace<TOp>(Tensor x, TOp op) where TOp : struct, IUnarySpanOp
    {
        if (x.IsContiguous)
        {
            if (x.DType == DType.Float32) op.Invoke<float>(x.AsSpan<float>(), x.AsSpan<float>());
            else op.Invoke<double>(x.AsSpan<double>(), x.AsSpan<double>());
        }
        else
        {
            x.CopyFromUnchecked(MapUnary(x, op));
        }
        x.BumpVersion();
    }

    internal static Tensor MapScalar<TOp>(Tensor x, double scalar, TOp op, bool scalarFirst = false) where TOp : struct, IBinarySpanOp
    {
        var xc = x.Contiguous();
        var r = AllocateForOverwrite(x.DType, (int[])x.shape.Clone());
        if (x.DType == DType.Float32)
        {
            if (scalarFirst) op.Invoke((float)scalar, xc.AsSpan<float>(), r.AsSpan<float>());
            else op.Invoke(xc.AsSpan<float>(), (float)scalar, r.AsSpan<float>());
        }
        else
        {
            if (scalarFirst) op.Invoke(scalar, xc.AsSpan<double>(), r.AsSpan<double>());
            else op.Invoke(xc.AsSpan<double>(), scalar, r.AsSpan<double>());
        }
        return r;
    }

    /// <summary>Brings both operands to the promoted floating type, as PyTorch's type promotion does.</summary>
    internal static DType FloatResultType(Tensor a, Tensor b, string op)
    {
        var t = DTypeExtensions.Promote(a.DType, b.DType);
        if (!t.IsFloatingPoint())
            throw new NotSupportedException($"\"{op}\" not implemented for '{t.TorchName()}'; convert with To(DType.Float32) first.");
        return t;
    }

    internal static Tensor MapBinary<TOp>(Tensor a, Tensor b, TOp op, string name, DType? resultType = null) where TOp : struct, IBinarySpanOp
    {
        var dtype = resultType ?? ResultType(a, b);
        if (!dtype.IsFloatingPoint())
            throw new NotSupportedException($"\"{name}\" not implemented for '{dtype.TorchName()}'; convert with To(DType.Float32) first.");
        a = a.To(dtype);
        b = b.To(dtype);
        var r = AllocateForOverwrite(dtype, ShapeHelper.Broadcast(a.shape, b.shape));
        if (dtype == DType.Float32) BinaryInto<float, TOp>(a, b, r, op);
        else BinaryInto<double, TOp>(a, b, r, op);
        return r;
    }

    /// <summary>self = op(self, other) with <paramref name="other"/> broadcast to self's shape.</summary>
    internal static void MapBinaryInPlace<TOp>(Tensor self, Tensor other, TOp op, string name) where TOp : struct, IBinarySpanOp
    {
        RequireFloat(self, name);
        var outShape = ShapeHelper.Broadcast(self.shape, other.shape);
        if (!ShapeHelper.SameShape(outShape, self.shape))
            throw new ArgumentException(
                $"output with shape {ShapeHelper.Format(self.shape)} doesn't match the broadcast shape {ShapeHelper.Format(outShape)}");
        other = other.To(self.DType);
        if (self.IsContiguous && !Overlaps(self, other))
        {
            if (self.DType == DType.Float32) BinaryInto<float, TOp>(self, other, self, op);
            else BinaryInto<double, TOp>(self, other, self, op);
        }
        else
        {
            self.CopyFromUnchecked(MapBinary(self, other, op, name));
        }
        self.BumpVersion();
    }

    private static bool Overlaps(Tensor a, Tensor b) => ReferenceEquals(a.storage, b.storage) &&
        !(a.offset == b.offset && ShapeHelper.SameShape(a.shape, b.shape) && a.strides.AsSpan().SequenceEqual(b.strides));

    /// <summary>r = op(a, b) where r is contiguous and has the broadcast shape.</summary>
    private static void BinaryInto<T, TOp>(Tensor a, Tensor b, Tensor r, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinarySpanOp
    {
        var rank = r.shape.Length;
        Span<int> scratch = stackalloc int[5 * Math.Max(rank, 1)];
        var w = new RowWalker(r.shape, r.strides, r.offset, a.BroadcastStrides(r.shape), a.offset,
            b.BroadcastStrides(r.shape), b.offset, scratch);
        T[] ad = a.Data<T>(), bd = b.Data<T>(), rd = r.Data<T>();
        int len = w.RowLength;
        T[]? tmpA = null, tmpB = null;
        try
        {
            while (w.MoveNext())
            {
                var dst = rd.AsSpan(w.Off0, len);
                if (w.Inner1 == 1 && w.Inner2 == 1) op.Invoke<T>(ad.AsSpan(w.Off1, len), bd.AsSpan(w.Off2, len), dst);
                else if (w.Inner1 == 1 && w.Inner2 == 0) op.Invoke<T>(ad.AsSpan(w.Off1, len), bd[w.Off2], dst);
                else if (w.Inner1 == 0 && w.Inner2 == 1) op.Invoke<T>(ad[w.Off1], bd.AsSpan(w.Off2, len), dst);
                else
                {
                    tmpA ??= ArrayPool<T>.Shared.Rent(len);
                    tmpB ??= ArrayPool<T>.Shared.Rent(len);
                    for (int i = 0; i < len; i++)
                    {
                        tmpA[i] = ad[w.Off1 + i * w.Inner1];
                        tmpB[i] = bd[w.Off2 + i * w.Inner2];
                    }
                    op.Invoke<T>(tmpA.AsSpan(0, len), tmpB.AsSpan(0, len), dst);
                }
            }
        }
        finally
        {
            if (tmpA is not null) ArrayPool<T>.Shared.Return(tmpA);
            if (tmpB is not null) ArrayPool<T>.Shared.Return(tmpB);
        }
    }

    /// <summary>Copies <paramref name="src"/>, broadcast to this tensor's shape and converted to its dtype, into this tensor.</summary>
    internal void CopyFromUnchecked(Tensor src)
    {
        if (src.DType != DType) src = src.To(DType);
        switch (storage)
        {
            case Storage<float>: CopyStrided<float>(src, this); break;
            case Storage<double>: CopyStrided<double>(src, this); break;
            case Storage<long>: CopyStrided<long>(src, this); break;
            case Storage<int>: CopyStrided<int>(src, this); break;
            default: CopyStrided<bool>(src, this); break;
        }
    }

    private static void CopyStrided<T>(Tensor src, Tensor dst) where T : unmanaged
    {
        var rank = dst.shape.Length;
        Span<int> scratch = stackalloc int[5 * Math.Max(rank, 1)];
        var w = new RowWalker(dst.shape, dst.strides, dst.offset, src.BroadcastStrides(dst.shape), src.offset, [], 0, scratch);
        T[] sd = src.Data<T>(), dd = dst.Data<T>();
        int len = w.RowLength;
        while (w.MoveNext())
        {
            if (w.Inner0 == 1 && w.Inner1 == 1) sd.AsSpan(w.Off1, len).CopyTo(dd.AsSpan(w.Off0, len));
            else if (w.Inner0 == 1 && w.Inner1 == 0) dd.AsSpan(w.Off0, len).Fill(sd[w.Off1]);
            else
                for (int i = 0; i < len; i++) dd[w.Off0 + i * w.Inner0] = sd[w.Off1 + i * w.Inner1];
        }
    }
}
