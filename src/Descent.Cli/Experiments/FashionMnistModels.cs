using Descent.NN;
using Descent.Tensors;
using F = Descent.NN.Functional;

namespace Descent.Cli.Experiments;

/// <summary>
/// The three networks the Fashion-MNIST runs train, each built in the same order as its PyTorch twin in
/// bench/torch_fashion_mnist.py so a seed gives the same initial weights. Every one takes flattened images [N, 784].
/// </summary>
public static class FashionMnistModels
{
    /// <summary>The names accepted by <c>--model</c>.</summary>
    public static readonly string[] Names = ["mlp", "cnn", "lstm"];

    /// <summary>Refuses a name that is not one of <see cref="Names"/>, as a command-line error, without building anything.</summary>
    public static string Check(string name) => Array.IndexOf(Names, name) >= 0
        ? name
        : throw new CliException($"--model: unknown model '{name}'; known: {string.Join(", ", Names)}");

    /// <summary>The network called <paramref name="name"/>; unknown names are a command-line error.</summary>
    public static Module Create(string name) => Check(name) switch
    {
        "mlp" => Mlp(),
        "cnn" => new LeNet5(),
        _ => new LstmClassifier(),
    };

    /// <summary>One line saying what the network is, for tables and reports.</summary>
    public static string Describe(string name) => name switch
    {
        "mlp" => "MLP 784-256-128-10 (ReLU)",
        "cnn" => "LeNet-5: conv 1→6 5×5, max-pool 2, conv 6→16 5×5, max-pool 2, 256-120-84-10 (ReLU)",
        "lstm" => "LSTM classifier: 28 steps of 28 pixels, hidden 64, last step → linear 64-10",
        _ => name,
    };

    /// <summary>The multilayer perceptron 784-256-128-10 with ReLU.</summary>
    public static Sequential Mlp() => new(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));

    /// <summary>LeNet-5 without padding: 28×28 → 24 → 12 → 8 → 4, then three linear layers.</summary>
    public sealed class LeNet5 : Module
    {
        private readonly Conv2d conv1, conv2;
        private readonly MaxPool2d pool1, pool2;
        private readonly Linear fc1, fc2, fc3;

        /// <summary>Registers the layers in PyTorch's order: conv1, pool1, conv2, pool2, fc1, fc2, fc3.</summary>
        public LeNet5()
        {
            conv1 = RegisterModule("conv1", new Conv2d(1, 6, 5));
            pool1 = RegisterModule("pool1", new MaxPool2d(2));
            conv2 = RegisterModule("conv2", new Conv2d(6, 16, 5));
            pool2 = RegisterModule("pool2", new MaxPool2d(2));
            fc1 = RegisterModule("fc1", new Linear(16 * 4 * 4, 120));
            fc2 = RegisterModule("fc2", new Linear(120, 84));
            fc3 = RegisterModule("fc3", new Linear(84, 10));
        }

        /// <inheritdoc/>
        public override Tensor Forward(Tensor input)
        {
            var x = input.View(-1, 1, 28, 28);
            x = pool1.Forward(F.Relu(conv1.Forward(x)));
            x = pool2.Forward(F.Relu(conv2.Forward(x)));
            x = x.Flatten(1);
            return fc3.Forward(F.Relu(fc2.Forward(F.Relu(fc1.Forward(x)))));
        }
    }

    /// <summary>Reads an image row by row: an LSTM over 28 steps of 28 pixels, the last hidden state classified by a linear layer.</summary>
    public sealed class LstmClassifier : Module
    {
        private readonly LSTM rnn;
        private readonly Linear output;

        /// <summary>Registers <c>rnn</c> (LSTM 28→64, batch first), then <c>out</c> (64→10).</summary>
        public LstmClassifier()
        {
            rnn = RegisterModule("rnn", new LSTM(28, 64, batchFirst: true));
            output = RegisterModule("out", new Linear(64, 10));
        }

        /// <inheritdoc/>
        public override Tensor Forward(Tensor input)
        {
            var (sequence, _) = rnn.Forward(input.View(-1, 28, 28), null);
            return output.Forward(sequence.Select(1, -1));
        }
    }
}
