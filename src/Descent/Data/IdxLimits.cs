namespace Descent.Data;

/// <summary>
/// How much an IDX file may make <see cref="IdxReader"/> allocate. A file's header declares its shape, and so the
/// size of its data, before any data is read; these limits are checked against that declaration first, so a hostile
/// header (or a gzip bomb) is refused before memory is committed to it.
/// </summary>
/// <remarks>
/// The defaults admit every IDX data set in common use with a wide margin: MNIST's and Fashion-MNIST's largest file
/// holds 47 MB of pixels, gzipped at a ratio of under 5:1, and EMNIST's largest 547 MB.
/// </remarks>
public sealed record IdxLimits
{
    /// <summary>The limits <see cref="IdxReader"/> uses when given none.</summary>
    public static IdxLimits Default { get; } = new();

    /// <summary>
    /// The most bytes of element data (the product of the dimensions times the element size) a file may declare:
    /// 1 GiB by default. Checked before anything is allocated for the data.
    /// </summary>
    public long MaxDataBytes { get; init; } = 1L << 30;

    /// <summary>
    /// For gzipped files, the most bytes of IDX content (header and data) a file may inflate to per byte of the
    /// compressed file: 64 by default. The declared size is checked against this before inflating the data, so a
    /// bomb that declares its inflated size is refused at once; one that declares less is refused as soon as it
    /// inflates one byte past its declaration.
    /// </summary>
    public int MaxInflationRatio { get; init; } = 64;

    /// <summary>
    /// Content this small is exempt from <see cref="MaxInflationRatio"/> (1 MiB by default), so that small files of
    /// very compressible data, such as a few thousand identical labels, still load.
    /// </summary>
    public long RatioExemptBytes { get; init; } = 1L << 20;

    /// <summary>The most bytes of IDX content a gzipped file of <paramref name="compressedBytes"/> bytes may inflate to.</summary>
    public long InflatedBytesAllowed(long compressedBytes)
    {
        long byRatio = compressedBytes > long.MaxValue / Math.Max(MaxInflationRatio, 1) ? long.MaxValue : compressedBytes * MaxInflationRatio;
        return Math.Max(byRatio, RatioExemptBytes);
    }
}
