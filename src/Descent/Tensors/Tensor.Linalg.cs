using System.Numerics;
using Descent.Autograd;
using Descent.Kernels;

namespace Descent.Tensors;

// Matrix products. Shape errors name both operands' shapes, with PyTorch's wording.
public sealed partial class Tensor
{
    /// <summary>Matrix product of two 2-D tensors, like <c>torch.mm</c>.</summary>
    public Tensor Mm(Tensor other)
    {
        if (Dim != 2) throw new ArgumentException($"self must be a matrix, got {Dim}-D tensor of shape {ShapeHelper.Format(shape)}");
        if (other.Dim != 2) throw new ArgumentException($"mat2 must be a matrix, got {other.Dim}-D tensor of shape {ShapeHelper.Format(other.shape)}");
        if (shape[1] != other.shape[0]) throw new ArgumentException(MmMismatch(shape, other.shape));
        CheckSameScalarType(this, other);
        var r = MmRaw(this, other, null, 1, 0);
        return Graph.Needs(this, other) ? Graph.Attach(r, new MmBackward(this, other, 1), this, other) : r;
    }

    // PyTorch 1.13's refusal of mixed dtypes in mm, mv and bmm (its CPU BLAS wrappers), first operand first.
    internal static void CheckSameScalarType(Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"expected scalar type {a.DType.ScalarTypeName()} but found {b.DType.ScalarTypeName()}");
    }

    // PyTorch's text, which names both shapes as rows x cols.
    private static string MmMismatch(int[] a, int[] b) => $"mat1 and mat2 shapes cannot be multiplied ({a[0]}x{a[1]} and {b[0]}x{b[1]})";

    /// <summary>
    /// beta·input + alpha·(mat1 @ mat2), like <c>torch.addmm</c> (what Linear uses). <paramref name="input"/> must
    /// expand to the product's shape; with beta = 0 it is ignored (its nan and inf do not propagate).
    /// </summary>
    public static Tensor Addmm(Tensor input, Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1)
    {
        if (mat1.Dim != 2) throw new ArgumentException($"mat1 must be a matrix, got {mat1.Dim}-D tensor");
        if (mat2.Dim != 2) throw new ArgumentException($"mat2 must be a matrix, got {mat2.Dim}-D tensor");
        if (mat1.shape[1] != mat2.shape[0]) throw new ArgumentException(MmMismatch(mat1.shape, mat2.shape));
        if (input.DType != mat2.DType) throw new ArgumentException("self and mat2 must have the same dtype");
        if (mat1.DType != mat2.DType) throw new ArgumentException("mat1 and mat2 must have the same dtype");
        Tensor bias;
        // The input is expanded (not broadcast both ways), so an input larger than the product is an error.
        using (GradMode.Set(false)) bias = input.Detach().Expand(mat1.shape[0], mat2.shape[1]);
        var r = MmRaw(mat1, mat2, bias, alpha, beta);
        return Graph.Needs(input) || Graph.Needs(mat1, mat2)
            ? Graph.Attach(r, new AddmmBackward(input.shape, mat1, mat2, alpha, beta), input, mat1, mat2)
            : r;
    }

    /// <summary>Batched matrix product of 3-D tensors, like <c>torch.bmm</c>.</summary>
    public Tensor Bmm(Tensor other)
    {
        if (Dim != 3) throw new ArgumentException("batch1 must be a 3D tensor");
        if (other.Dim != 3) throw new ArgumentException("batch2 must be a 3D tensor");
        if (other.shape[0] != shape[0] || other.shape[1] != shape[2])
            throw new ArgumentException(BmmMismatch(shape[0], shape[2], other.shape[0], other.shape[1], shape, other.shape));
        CheckSameScalarType(this, other);
        var r = Allocate(DType, [shape[0], shape[1], other.shape[2]]);
        using (GradMode.Set(false))
            for (int i = 0; i < shape[0]; i++)
                r.Select(0, i).CopyFromUnchecked(MmRaw(Select(0, i), other.Select(0, i), null, 1, 0));
        return Graph.Needs(this, other) ? Graph.Attach(r, new BmmBackward(this, other), this, other) : r;
    }

    // PyTorch's bmm text names neither operand's shape, so both are appended.
    private static string BmmMismatch(int batch, int k, int batch2, int k2, int[] a, int[] b) =>
        $"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {k}] but got: [{batch2}, {k2}]. " +
        $"Shapes {ShapeHelper.Format(a)} and {ShapeHelper.Format(b)} cannot be multiplied.";

    /// <summary>
    /// Matrix product with NumPy/PyTorch semantics (<c>torch.matmul</c>, the <c>@</c> operator): dot for 1-D·1-D,
    /// matrix-vector, matrix-matrix, and batched products with broadcast batch dimensions.
    /// </summary>
    public Tensor Matmul(Tensor other)
    {
        if (Dim == 0 || other.Dim == 0)
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {Dim}D and {other.Dim}D");
        if (Dim == 1 && other.Dim == 1)
        {
            if (shape[0] != other.shape[0])
                throw new ArgumentException(
                    $"inconsistent tensor size, expected tensor [{shape[0]}] and src [{other.shape[0]}] to have the same number of elements, but got {shape[0]} and {other.shape[0]} elements respectively");
            if (DType != other.DType)
                throw new ArgumentException($"dot : expected both vectors to have same dtype, but found {DType.ScalarTypeName()} and {other.DType.ScalarTypeName()}");
            return Unsqueeze(0).Mm(other.Unsqueeze(1)).Reshape();
        }
        if (Dim == 2 && other.Dim == 1)
        {
            // PyTorch's mv text: input size, matrix rows x cols, vector size.
            if (shape[1] != other.shape[0])
                throw new ArgumentException($"size mismatch, got {shape[0]}, {shape[0]}x{shape[1]},{other.shape[0]}");
            return Mm(other.Unsqueeze(1)).Squeeze(1);
        }
        if (Dim == 1 && other.Dim == 2)
        {
            if (shape[0] != other.shape[0]) throw new ArgumentException(MmMismatch([1, shape[0]], other.shape));
            return Unsqueeze(0).Mm(other).Squeeze(0);
        }
        if (Dim == 2 && other.Dim == 2) return Mm(other);

        // Batched. PyTorch folds a ≤2-D first operand by transposing both (bᵀ·aᵀ), so its dtype error names them reversed.
        if (Dim <= 2) CheckSameScalarType(other, this);
        else CheckSameScalarType(this, other);
        // Promote vectors to matrices, broadcast the batch dimensions, run bmm, drop the added dims.
        var a = Dim == 1 ? Unsqueeze(0) : this;
        var b = other.Dim == 1 ? other.Unsqueeze(1) : other;
        int n = a.shape[^2], k = a.shape[^1], k2 = b.shape[^2], p = b.shape[^1];
        int[] batch;
        try
        {
            batch = ShapeHelper.Broadcast(a.shape.AsSpan(0, a.Dim - 2), b.shape.AsSpan(0, b.Dim - 2));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{e.Message}; matmul of shapes {ShapeHelper.Format(shape)} and {ShapeHelper.Format(other.shape)}", e);
        }
        int nb = ShapeHelper.Numel(batch);
        if (k != k2) throw new ArgumentException(BmmMismatch(nb, k, nb, k2, shape, other.shape));
        var ae = a.Expand([.. batch, n, k]).Reshape(nb, n, k);
        var be = b.Expand([.. batch, k, p]).Reshape(nb, k, p);
        var r = ae.Bmm(be).Reshape([.. batch, n, p]);
        if (Dim == 1) r = r.Squeeze(-2);
        if (other.Dim == 1) r = r.Squeeze(-1);
        return r;
    }

    /// <summary>mat1 @ mat2 (+ beta·bias) without autograd; operands may be transposed views.</summary>
    internal static Tensor MmRaw(Tensor a, Tensor b, Tensor? bias, double alpha, double beta)
    {
        var dtype = ResultType(a, b);
        a = a.To(dtype);
        b = b.To(dtype);
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        var r = Allocate(dtype, [m, n]);
        if (bias is not null && beta != 0) r.CopyFromUnchecked(bias);
        else beta = 0;
        if (dtype == DType.Float32) MmInto<float>(a, b, r, (float)alpha, (float)beta);
        else if (dtype == DType.Float64) MmInto<double>(a, b, r, alpha, beta);
        else if (dtype == DType.Bool) throw new ArgumentException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        else IntegerMmInto(a, b, r, (long)alpha, (long)beta);
        return r;
    }

    // Integer products (PyTorch computes them without BLAS too): exact, wrapping on overflow as C++ does.
    private static void IntegerMmInto(Tensor a, Tensor b, Tensor r, long alpha, long beta)
    {
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                long acc = 0;
                for (int p = 0; p < k; p++)
                    acc = unchecked(acc + a.GetAsLong(a.offset + i * a.strides[0] + p * a.strides[1]) * b.GetAsLong(b.offset + p * b.strides[0] + j * b.strides[1]));
                int at = i * n + j;
                r.SetFlat(at, unchecked((beta == 0 ? 0 : beta * r.GetAsLong(at)) + alpha * acc));
            }
    }

    private static void MmInto<T>(Tensor a, Tensor b, Tensor r, T alpha, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (ta, lda, av) = MatrixOperand<T>(a);
        var (tb, ldb, bv) = MatrixOperand<T>(b);
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        Gemm.Run(ta, tb, m, n, k, alpha, av.Span, lda, bv.Span, ldb, beta, r.AsSpan<T>(), n);
    }

    /// <summary>
    /// A 2-D operand as (transposed?, leading dimension, the elements it spans), copying only when neither layout
    /// fits. A layout fits when one dim has unit stride and the other a stride of at least its length, as BLAS
    /// requires; an expanded operand (stride 0) does not, since its rows would be read from memory past the first one.
    /// </summary>
    private static (bool Trans, int Ld, ReadOnlyMemory<T> Values) MatrixOperand<T>(Tensor t) where T : unmanaged
    {
        int rows = t.shape[0], cols = t.shape[1], s0 = t.strides[0], s1 = t.strides[1];
        if ((s1 == 1 || cols <= 1) && (rows <= 1 || s0 >= Math.Max(cols, 1)))
        {
            int ld = rows <= 1 ? Math.Max(cols, 1) : s0;
            return (false, ld, t.Data<T>().AsMemory(t.offset, Extent(rows, cols, ld)));
        }
        if ((s0 == 1 || rows <= 1) && (cols <= 1 || s1 >= Math.Max(rows, 1)))
        {
            int ld = cols <= 1 ? Math.Max(rows, 1) : s1;
            return (true, ld, t.Data<T>().AsMemory(t.offset, Extent(cols, rows, ld)));
        }
        var c = t.Detach().Clone();
        return (false, Math.Max(cols, 1), c.Data<T>().AsMemory(c.offset, rows * cols));
    }

    /// <summary>Elements a row-major <paramref name="rows"/>×<paramref name="cols"/> matrix with leading dimension <paramref name="ld"/> spans.</summary>
    private static int Extent(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
}
