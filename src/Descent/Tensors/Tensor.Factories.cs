namespace Descent.Tensors;

// Creation functions, named and defaulted like torch.zeros, torch.linspace, torch.randn, ...
public sealed partial class Tensor
{
    // Allocate checks the sizes: negative, overflowing or past the .NET array limit, each with PyTorch's message
    // where PyTorch has one.
    private static Tensor Make(DType dtype, ReadOnlySpan<int> shape, bool requiresGrad)
    {
        var t = Allocate(dtype, shape.ToArray());
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    /// <summary>An uninitialised (here: zeroed) tensor, like <c>torch.empty</c>.</summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => Make(DefaultDType, shape, false);

    /// <summary>Like <c>torch.empty(shape, dtype=..., requires_grad=...)</c>.</summary>
    public static Tensor Empty(int[] shape, DType dtype, bool requiresGrad = false) => Make(dtype, shape, requiresGrad);

    /// <summary>A tensor of zeros, like <c>torch.zeros</c>.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Make(DefaultDType, shape, false);

    /// <summary>Like <c>torch.zeros(shape, dtype=..., requires_grad=...)</c>.</summary>
    public static Tensor Zeros(int[] shape, DType dtype, bool requiresGrad = false) => Make(dtype, shape, requiresGrad);

    /// <summary>A tensor of ones, like <c>torch.ones</c>.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(shape.ToArray(), 1.0);

    /// <summary>Like <c>torch.ones(shape, dtype=..., requires_grad=...)</c>.</summary>
    public static Tensor Ones(int[] shape, DType dtype, bool requiresGrad = false) => Full(shape, 1.0, dtype, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>, like <c>torch.full</c>.</summary>
    public static Tensor Full(int[] shape, double value, DType? dtype = null, bool requiresGrad = false)
    {
        var t = Make(dtype ?? DefaultDType, shape, false);
        t.FillUnchecked(value);
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    /// <summary>Zeros shaped like <paramref name="t"/>, like <c>torch.zeros_like</c>.</summary>
    public static Tensor ZerosLike(Tensor t) => Zeros(t.shape, t.DType);

    /// <summary>Ones shaped like <paramref name="t"/>, like <c>torch.ones_like</c>.</summary>
    public static Tensor OnesLike(Tensor t) => Ones(t.shape, t.DType);

    /// <summary>Like <c>torch.empty_like</c>.</summary>
    public static Tensor EmptyLike(Tensor t) => Empty(t.shape, t.DType);

    /// <summary>Like <c>torch.full_like</c>.</summary>
    public static Tensor FullLike(Tensor t, double value) => Full(t.shape, value, t.DType);

    /// <summary>Like <c>torch.rand_like</c>.</summary>
    public static Tensor RandLike(Tensor t, Generator? generator = null) => Empty(t.shape, t.DType).Uniform_(0, 1, generator);

    /// <summary>Like <c>torch.randn_like</c>.</summary>
    public static Tensor RandnLike(Tensor t, Generator? generator = null) => Empty(t.shape, t.DType).Normal_(0, 1, generator);

    /// <summary>A 0-dimensional tensor holding one value, like <c>torch.tensor(3.0)</c>.</summary>
    public static Tensor Scalar(double value, DType? dtype = null) => Full([], value, dtype);

    /// <summary>A tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged
    {
        if (shape.Length == 0) shape = [data.Length];
        if (ShapeHelper.StorageLength(shape, TypeOf<T>.DType.ElementSize()) != data.Length)
            throw new ArgumentException($"shape {ShapeHelper.Format(shape)} does not match the {data.Length} values given");
        return new Tensor(new Storage<T>((T[])data.Clone()), (int[])shape.Clone());
    }

    /// <summary>A tensor from a (possibly multi-dimensional) array, like <c>torch.tensor(nested_list)</c>.</summary>
    public static Tensor From<T>(Array values) where T : unmanaged
    {
        var shape = new int[values.Rank];
        for (int i = 0; i < shape.Length; i++) shape[i] = values.GetLength(i);
        var flat = new T[values.Length];
        int k = 0;
        foreach (T v in values) flat[k++] = v;
        return new Tensor(new Storage<T>(flat), shape);
    }

    /// <summary>A float32 tensor from a multi-dimensional array, e.g. <c>Tensor.From(new float[,] {{1, 2}, {3, 4}})</c>.</summary>
    public static Tensor From(Array values) => values switch
    {
        float[] or float[,] or float[,,] or float[,,,] => From<float>(values),
        double[] or double[,] or double[,,] or double[,,,] => From<double>(values),
        long[] or long[,] or long[,,] => From<long>(values),
        int[] ia => FromArray(Array.ConvertAll(ia, v => (long)v)),
        bool[] or bool[,] => From<bool>(values),
        _ => throw new ArgumentException($"Cannot make a tensor from {values.GetType().Name}."),
    };

    /// <summary>Values start, start+step, … below end, like <c>torch.arange</c> with float arguments (float32).</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType? dtype = null)
    {
        // PyTorch's checks and messages (RangeFactories.cpp), in its order; a NaN step is not nonzero.
        if (!(step > 0 || step < 0)) throw new ArgumentException("step must be nonzero");
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"unsupported range: {CNumber(start)} -> {CNumber(end)}");
        if (!((step > 0 && end >= start) || (step < 0 && end <= start)))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        double size = Math.Ceiling((end - start) / step);
        if (!(size >= 0 && size <= long.MaxValue)) throw new ArgumentException("invalid size, possible overflow?");
        if (size > Array.MaxLength)
            throw new ArgumentException(
                $"Storage of {size:F0} elements for sizes=[{size:F0}] is larger than a .NET array can hold ({Array.MaxLength} elements)");
        int n = (int)size;
        var t = Allocate(dtype ?? DefaultDType, [n]);
        for (int i = 0; i < n; i++) t.SetFlat(i, start + step * i);
        return t;
    }

    // A double as C++'s ostream prints it (PyTorch's messages): 6 significant digits, "nan", "inf".
    private static string CNumber(double v) =>
        double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf")
        : v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");

    /// <summary>0, 1, …, end-1 as int64, like <c>torch.arange(end)</c> with an integer.</summary>
    public static Tensor Arange(long end) => Arange(0, end, 1, DType.Int64);

    /// <summary>
    /// start, start+step, … below end, like <c>torch.arange</c> with integer arguments: int64 unless a dtype is given
    /// (C# integer literals pick this overload, as Python ints do; <c>Arange(0.0, 5)</c> gives the default dtype).
    /// </summary>
    public static Tensor Arange(long start, long end, long step = 1, DType? dtype = null) =>
        Arange((double)start, end, step, dtype ?? DType.Int64);

    /// <summary>
    /// <paramref name="steps"/> evenly spaced values from start to end, like <c>torch.linspace</c>. Reproduces PyTorch's
    /// CPU kernel bit for bit: the first half counts up from start, the second half down from end, in blocks
    /// of 8 as its AVX2 loop does.
    /// </summary>
    public static Tensor Linspace(double start, double end, int steps, DType? dtype = null)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        var t = Allocate(dtype ?? DefaultDType, [steps]);
        if (steps == 0) return t;
        if (steps == 1)
        {
            t.SetFlat(0, start);
            return t;
        }
        if (t.DType == DType.Float32) LinspaceKernel.Fill(t.AsSpan<float>(), (float)start, (float)end);
        else if (t.DType == DType.Float64) LinspaceKernel.Fill(t.AsSpan<double>(), start, end);
        else
        {
            double step = (end - start) / (steps - 1);
            for (int i = 0; i < steps; i++) t.SetFlat(i, i < steps / 2 ? start + step * i : end - step * (steps - i - 1));
        }
        return t;
    }

    /// <summary>An identity matrix, like <c>torch.eye</c>.</summary>
    public static Tensor Eye(int n, int? m = null, DType? dtype = null)
    {
        if (n < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        int cols = m ?? n;
        if (cols < 0) throw new ArgumentException($"m must be greater or equal to 0, got {cols}");
        var t = Zeros([n, cols], dtype ?? DefaultDType);
        for (int i = 0; i < Math.Min(n, cols); i++) t.SetFlat(i * cols + i, 1);
        return t;
    }

    /// <summary>Uniform samples on [0, 1), like <c>torch.rand</c>.</summary>
    public static Tensor Rand(params ReadOnlySpan<int> shape) => Empty(shape).Uniform_(0, 1);

    /// <summary>Like <c>torch.rand(shape, generator=..., dtype=...)</c>.</summary>
    public static Tensor Rand(int[] shape, Generator? generator, DType? dtype = null) => Empty(shape, dtype ?? DefaultDType).Uniform_(0, 1, generator);

    /// <summary>Standard normal samples, like <c>torch.randn</c>.</summary>
    public static Tensor Randn(params ReadOnlySpan<int> shape) => Empty(shape).Normal_(0, 1);

    /// <summary>Like <c>torch.randn(shape, generator=..., dtype=...)</c>.</summary>
    public static Tensor Randn(int[] shape, Generator? generator, DType? dtype = null) => Empty(shape, dtype ?? DefaultDType).Normal_(0, 1, generator);

    /// <summary>Normal samples with per-element means, like <c>torch.normal(mean, std)</c>.</summary>
    public static Tensor Normal(Tensor mean, double std = 1.0, Generator? generator = null)
    {
        var r = EmptyLike(mean).Normal_(0, std, generator);
        r.Add_(mean);
        return r;
    }

    /// <summary>Normal samples of a given shape, like <c>torch.normal(mean, std, size)</c>.</summary>
    public static Tensor Normal(double mean, double std, int[] shape, Generator? generator = null) =>
        Empty(shape).Normal_(mean, std, generator);

    /// <summary>Integers uniform on [low, high), int64, like <c>torch.randint</c>.</summary>
    public static Tensor Randint(long low, long high, int[] shape, Generator? generator = null)
    {
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        var t = Zeros(shape, DType.Int64);
        (generator ?? Generator.Default).FillRandint(t.AsSpan<long>(), low, high);
        return t;
    }

    /// <summary>Like <c>torch.randint(high, size)</c>.</summary>
    public static Tensor Randint(long high, int[] shape, Generator? generator = null) => Randint(0, high, shape, generator);

    /// <summary>A random permutation of 0..n-1, int64, like <c>torch.randperm</c>.</summary>
    public static Tensor Randperm(int n, Generator? generator = null)
    {
        if (n < 0) throw new ArgumentException($"n must be non-negative, got{n}");
        var t = Zeros([n], DType.Int64);
        (generator ?? Generator.Default).Randperm(t.AsSpan<long>());
        return t;
    }

    /// <summary>Fills with uniform samples on [from, to) in place, like <c>uniform_</c>.</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        if (from > to) throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={from} > to={to}");
        FillRandom(generator, (g, t) =>
        {
            if (t.DType == DType.Float32) g.FillUniform(t.AsSpan<float>(), from, to);
            else g.FillUniform(t.AsSpan<double>(), from, to);
        });
        return this;
    }

    /// <summary>Fills with normal samples in place, like <c>normal_</c>.</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        if (std < 0) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
        FillRandom(generator, (g, t) =>
        {
            if (t.DType == DType.Float32) g.FillNormal(t.AsSpan<float>(), mean, std);
            else g.FillNormal(t.AsSpan<double>(), mean, std);
        });
        return this;
    }

    private void FillRandom(Generator? generator, Action<Generator, Tensor> fill)
    {
        RequireFloat(this, "random fill");
        var target = IsContiguous ? this : Empty(shape, DType);
        fill(generator ?? Generator.Default, target);
        if (!ReferenceEquals(target, this)) CopyFromUnchecked(target);
        BumpVersion();
    }

    internal void SetFlat(int i, double v)
    {
        switch (storage)
        {
            case Storage<float> f: f.Data[offset + i] = (float)v; break;
            case Storage<double> d: d.Data[offset + i] = v; break;
            case Storage<long> l: l.Data[offset + i] = (long)v; break;
            case Storage<int> n: n.Data[offset + i] = (int)(long)v; break;
            case Storage<bool> b: b.Data[offset + i] = v != 0; break;
        }
    }

    internal void FillUnchecked(double v)
    {
        switch (storage)
        {
            case Storage<float> f: FillView(f.Data, (float)v); break;
            case Storage<double> d: FillView(d.Data, v); break;
            case Storage<long> l: FillView(l.Data, (long)v); break;
            case Storage<int> n: FillView(n.Data, (int)(long)v); break;
            case Storage<bool> b: FillView(b.Data, v != 0); break;
        }
    }

    private void FillView<T>(T[] data, T v) where T : unmanaged
    {
        if (IsContiguous) data.AsSpan(offset, Numel).Fill(v);
        else CopyFromUnchecked(new Tensor(new Storage<T>([v]), 0, [], []));
    }
}
