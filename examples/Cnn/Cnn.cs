using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Examples;

/// <summary>
/// The CNN tutorial: two convolution blocks (5×5 convolution with padding 2, ReLU, 2×2 max pooling) take a 28×28 image
/// to 32 maps of 7×7, and a linear layer scores the 10 classes. Trained on Fashion-MNIST here, in place of MNIST.
/// </summary>
public static class Cnn
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the IDX files.</summary>
    public const string DefaultDataDir = FashionMnistExample.DefaultDataDir;

    /// <summary>How many test images the accuracy is measured on: the first 2000, as in the tutorial.</summary>
    public const int TestImages = 2000;

    /// <summary>
    /// The tutorial's network: conv1 = (Conv2d(1 → 16, 5×5, padding 2), ReLU, MaxPool2d(2)), conv2 = (Conv2d(16 → 32,
    /// 5×5, padding 2), ReLU, MaxPool2d(2)), then <c>out</c> = Linear(32·7·7 → 10) on the flattened maps.
    /// </summary>
    public sealed class Net : Module
    {
        private readonly Sequential conv1, conv2;
        private readonly Linear output;

        /// <summary>Registers conv1, conv2 and out in PyTorch's order, so a seed gives the tutorial's initial weights.</summary>
        public Net()
        {
            conv1 = RegisterModule("conv1", new Sequential(
                new Conv2d(inChannels: 1, outChannels: 16, kernelSize: 5, stride: 1, padding: 2),   // padding 2 keeps 28×28
                new ReLU(),
                new MaxPool2d(kernelSize: 2)));                                                       // 28×28 → 14×14
            conv2 = RegisterModule("conv2", new Sequential(
                new Conv2d(16, 32, 5, 1, 2),                                                          // 16×14×14 → 32×14×14
                new ReLU(),
                new MaxPool2d(2)));                                                                   // → 32×7×7
            output = RegisterModule("out", new Linear(32 * 7 * 7, 10));
        }

        /// <summary>Images [batch, 1, 28, 28] give class scores [batch, 10].</summary>
        public override Tensor Forward(Tensor x) => Forward(x, out _);

        /// <summary>The class scores, and in <paramref name="features"/> the flattened maps [batch, 32·7·7] the last layer reads.</summary>
        public Tensor Forward(Tensor x, out Tensor features)
        {
            x = conv2.Forward(conv1.Forward(x));
            features = x.View(x.Size(0), -1);   // [batch, 32, 7, 7] → [batch, 1568]
            return output.Forward(features);
        }
    }

    /// <summary>
    /// The training images [N, 1, 28, 28] (the first <paramref name="limit"/> when given) and labels [N], and the first
    /// <paramref name="testCount"/> test images and labels, from the IDX files in <paramref name="dataDir"/>
    /// (plain or gzipped); pixels are scaled to [0, 1].
    /// </summary>
    /// <exception cref="FileNotFoundException">One of the four files is missing; the message says how to get it.</exception>
    public static (Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY) Load(string dataDir, int? limit = null, int testCount = TestImages)
    {
        var (x, y, tx, ty) = FashionMnistExample.Load(dataDir, limit, testCount);
        return (x.Unsqueeze(1), y, tx.Unsqueeze(1), ty);   // one channel: [N, 28, 28] → [N, 1, 28, 28];
    }

    /// <summary>
    /// Trains <paramref name="net"/> for <paramref name="epochs"/> passes over (x, y) in shuffled batches of
    /// <paramref name="batchSize"/> with Adam and cross-entropy; <paramref name="onStep"/> sees (epoch, step in the
    /// epoch, loss) after each update. Returns every step's loss.
    /// </summary>
    public static List<double> Train(Module net, Tensor x, Tensor y, int batchSize = 50, double lr = 0.001, int epochs = 1,
        Action<int, int, double>? onStep = null)
    {
        var optimizer = new Adam(net.Parameters(), lr: lr);
        var lossFunc = new CrossEntropyLoss();
        var loader = new DataLoader(new TensorDataset(x, y), batchSize: batchSize, shuffle: true);
        var losses = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int step = 0;
            foreach (var (bx, by) in loader)
            {
                var loss = lossFunc.Forward(net.Forward(bx), by);   // bx: [batch, 1, 28, 28], by: [batch] class indices

                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();

                losses.Add(loss.Item());
                onStep?.Invoke(epoch, step++, losses[^1]);
            }
        }
        return losses;
    }

    /// <summary>The fraction of images whose highest score is their label, without a graph, in chunks of 500.</summary>
    public static double Accuracy(Module net, Tensor x, Tensor y) => FashionMnistExample.Accuracy(net, x, y);
}
