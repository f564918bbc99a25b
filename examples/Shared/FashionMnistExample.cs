using Descent.Data;
using Descent.NN;
using Descent.Tensors;

namespace Descent.Examples;

/// <summary>
/// What the two Fashion-MNIST tutorials share, kept out of their programs so that those read as the tutorials do:
/// the command line, the data and the accuracy. (Compiled into each example project, which stays standalone.)
/// </summary>
internal static class FashionMnistExample
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the IDX files.</summary>
    public const string DefaultDataDir = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Reads <c>[--data DIR] [--limit N]</c>. Returns the exit code when the program should stop there: 0 after
    /// printing the usage for <c>--help</c>, 2 after one line on stderr for a bad option.
    /// </summary>
    public static int? ParseArgs(string[] args, string program, out string dataDir, out int? limit)
    {
        string usage = $"usage: {program} [--data DIR] [--limit N]";
        (dataDir, limit) = (DefaultDataDir, null);
        for (int i = 0; i < args.Length; i += 2)
        {
            string option = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            if (option is "-h" or "--help")
            {
                Console.WriteLine(usage);
                return 0;
            }
            if (option == "--data" && value is not null) dataDir = value;
            else if (option == "--limit" && int.TryParse(value, out int n) && n > 0) limit = n;
            else
            {
                Console.Error.WriteLine(option switch
                {
                    "--data" => $"error: --data needs a directory; {usage}",
                    "--limit" => $"error: --limit needs a positive number of images{(value is null ? "" : $", not '{value}'")}; {usage}",
                    _ => $"error: unknown option '{option}'; {usage}",
                });
                return 2;
            }
        }
        return null;
    }

    /// <summary>
    /// The training images [N, 28, 28] (the first <paramref name="limit"/> when given) and labels [N], and the first
    /// <paramref name="testCount"/> test images and labels, from the IDX files in <paramref name="dataDir"/> (plain or
    /// gzipped); pixels are scaled to [0, 1].
    /// </summary>
    /// <exception cref="FileNotFoundException">One of the four files is missing; the message says how to get it.</exception>
    public static (Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY) Load(string dataDir, int? limit, int testCount)
    {
        string Find(string name) => IdxReader.Find(dataDir, name) ?? throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}' not found in {dataDir}: install it with 'apt-get install dataset-fashion-mnist' or pass --data DIR");
        string trainImages = Find("train-images-idx3-ubyte"), trainLabels = Find("train-labels-idx1-ubyte");
        string testImages = Find("t10k-images-idx3-ubyte"), testLabels = Find("t10k-labels-idx1-ubyte");

        var train = IdxReader.ReadDataset(trainImages, trainLabels, numClasses: 10);
        var test = IdxReader.ReadDataset(testImages, testLabels, numClasses: 10);
        var (x, y) = First(train.Tensors[0], train.Tensors[1], limit);
        var (tx, ty) = First(test.Tensors[0], test.Tensors[1], testCount);
        return (x, y, tx, ty);
    }

    private static (Tensor X, Tensor Y) First(Tensor x, Tensor y, int? n) =>
        n is int k && k < x.Size(0) ? (x[..k].Contiguous(), y[..k].Contiguous()) : (x, y);

    /// <summary>The fraction of images whose highest score is their label, without a graph, in chunks of 500.</summary>
    public static double Accuracy(Module net, Tensor x, Tensor y)
    {
        bool training = net.Training;
        net.Eval();
        long hits = 0;
        int n = x.Size(0);
        using (Torch.NoGrad())
            for (int start = 0; start < n; start += 500)
            {
                int len = Math.Min(500, n - start);
                var predicted = net.Forward(x.Narrow(0, start, len)).Argmax(1);
                hits += (long)predicted.Eq(y.Narrow(0, start, len)).Sum().Item();
            }
        net.Train(training);
        return n == 0 ? 0 : (double)hits / n;
    }

    /// <summary>Loads the data, or prints why not in one line: the exit code 1 when it could not.</summary>
    public static int? TryLoad(Func<(Tensor, Tensor, Tensor, Tensor)> load, out (Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY) data)
    {
        try
        {
            data = load();
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            data = default;
            return 1;
        }
    }
}
