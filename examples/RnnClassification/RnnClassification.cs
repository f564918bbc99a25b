using Descent.Data;
using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Examples;

/// <summary>
/// The RNN classification tutorial: an LSTM reads each 28×28 image one row per time step (28 steps of 28 pixels) and a
/// linear layer classifies the output of the last step. Trained on Fashion-MNIST here, in place of MNIST.
/// </summary>
public static class RnnClassification
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the IDX files.</summary>
    public const string DefaultDataDir = FashionMnistExample.DefaultDataDir;

    /// <summary>How many test images the accuracy is measured on: the first 2000, as in the tutorial.</summary>
    public const int TestImages = 2000;

    /// <summary>The tutorial's network: LSTM(28 → 64, batch first), then Linear(64 → 10) on the last step.</summary>
    public sealed class Net : Module
    {
        private readonly LSTM rnn;
        private readonly Linear output;

        /// <summary>Registers <c>rnn</c>, then <c>out</c>, as the PyTorch module does (so a seed gives the same weights).</summary>
        public Net()
        {
            rnn = RegisterModule("rnn", new LSTM(inputSize: 28, hiddenSize: 64, batchFirst: true));
            output = RegisterModule("out", new Linear(64, 10));
        }

        /// <summary>Images [batch, 28, 28] (rows are time steps, pixels are features) give class scores [batch, 10].</summary>
        public override Tensor Forward(Tensor x)
        {
            // sequence: [batch, 28, 64]; the final hidden and cell states are not needed (None in, zeros to start).
            var (sequence, _) = rnn.Forward(x.View(-1, 28, 28), null);
            return output.Forward(sequence.Select(1, -1));   // the output of the last time step: [batch, 64]
        }
    }

    /// <summary>
    /// The training images [N, 28, 28] (the first <paramref name="limit"/> when given) and labels [N], and the first
    /// <paramref name="testCount"/> test images and labels, from the IDX files in <paramref name="dataDir"/>
    /// (plain or gzipped); pixels are scaled to [0, 1].
    /// </summary>
    /// <exception cref="FileNotFoundException">One of the four files is missing; the message says how to get it.</exception>
    public static (Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY) Load(string dataDir, int? limit = null, int testCount = TestImages)
    {
        var (x, y, tx, ty) = FashionMnistExample.Load(dataDir, limit, testCount);
        return (x, y, tx, ty);
    }

    /// <summary>
    /// Trains <paramref name="net"/> for <paramref name="epochs"/> passes over (x, y) in shuffled batches of
    /// <paramref name="batchSize"/> with Adam and cross-entropy; <paramref name="onStep"/> sees (epoch, step in the
    /// epoch, loss) after each update. Returns every step's loss.
    /// </summary>
    public static List<double> Train(Module net, Tensor x, Tensor y, int batchSize = 64, double lr = 0.01, int epochs = 1,
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
                var loss = lossFunc.Forward(net.Forward(bx), by);   // bx: [batch, 28, 28], by: [batch] class indices

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
