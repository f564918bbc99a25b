using System.Buffers.Binary;
using System.IO.Compression;

namespace Descent.Tests.Examples;

/// <summary>
/// A stand-in for the Fashion-MNIST directory: the four IDX files with a few 28×28 images each, written to a fresh
/// temporary directory (the training pair gzipped, the test pair plain, as both forms are found). Image k has every
/// pixel equal to k (mod 256) and label k mod 10, so a test can tell which images were read.
/// </summary>
internal sealed class TinyFashionMnist : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("descent-tutorial-idx-").FullName;

    public TinyFashionMnist(int train, int test)
    {
        Write("train-images-idx3-ubyte.gz", Images(train), gzip: true);
        Write("train-labels-idx1-ubyte.gz", Labels(train), gzip: true);
        Write("t10k-images-idx3-ubyte", Images(test), gzip: false);
        Write("t10k-labels-idx1-ubyte", Labels(test), gzip: false);
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    private static byte[] Images(int n)
    {
        var pixels = new byte[n * 28 * 28];
        for (int k = 0; k < n; k++) pixels.AsSpan(k * 784, 784).Fill((byte)k);
        return Idx(0x0803, [n, 28, 28], pixels);
    }

    private static byte[] Labels(int n)
    {
        var labels = new byte[n];
        for (int k = 0; k < n; k++) labels[k] = (byte)(k % 10);
        return Idx(0x0801, [n], labels);
    }

    // Magic (two zero bytes, type 8 = unsigned byte, rank), the big-endian dimensions, then the bytes.
    private static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var r = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(r, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(r.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(r, 4 + 4 * dims.Length);
        return r;
    }

    private void Write(string name, byte[] content, bool gzip)
    {
        using var file = File.Create(Path.Combine(Dir, name));
        if (!gzip)
        {
            file.Write(content);
            return;
        }
        using var z = new GZipStream(file, CompressionLevel.Fastest);
        z.Write(content);
    }
}
