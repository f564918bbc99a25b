// Classifies Fashion-MNIST with a small convolutional network, as the classic CNN tutorial does with MNIST: two
// blocks of 5×5 convolution (padding 2), ReLU and 2×2 max pooling (1 → 16 → 32 channels, 28 → 14 → 7 pixels), then
// Linear(32·7·7 → 10); Adam(lr 0.001), batch 50, one epoch, the loss and the accuracy on 2000 test images every 50 steps.
//   Cnn [--data DIR] [--limit N]   (DIR: the IDX files, plain or .gz; N: train on the first N images)
using Descent;
using Descent.Examples;
using Descent.Tensors;

const string Usage = "usage: Cnn [--data DIR] [--limit N]";
string dataDir = Cnn.DefaultDataDir;
int? limit = null;
for (int i = 0; i < args.Length; i += 2)
{
    string option = args[i];
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    if (option is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return 0;
    }
    if (option == "--data" && value is not null) dataDir = value;
    else if (option == "--limit" && int.TryParse(value, out int n) && n > 0) limit = n;
    else
    {
        Console.Error.WriteLine(option switch
        {
            "--data" => $"error: --data needs a directory; {Usage}",
            "--limit" => $"error: --limit needs a positive number of images{(value is null ? "" : $", not '{value}'")}; {Usage}",
            _ => $"error: unknown option '{option}'; {Usage}",
        });
        return 2;
    }
}

Torch.ManualSeed(1);
Tensor trainX, trainY, testX, testY;
try
{
    (trainX, trainY, testX, testY) = Cnn.Load(dataDir, limit);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

var net = new Cnn.Net();
Console.WriteLine(net);

Cnn.Train(net, trainX, trainY, batchSize: 50, lr: 0.001, onStep: (epoch, step, loss) =>
{
    if (step % 50 == 0)
        Console.WriteLine($"epoch {epoch}  step {step,4}  train loss {loss:F4}  test accuracy {Cnn.Accuracy(net, testX, testY):F2}");
});

// Ten test images: the predicted class next to the real one.
using (Torch.NoGrad())
{
    var predicted = net.Forward(testX[..10]).Argmax(1);
    Console.WriteLine($"predicted {string.Join(' ', predicted.ToArray<long>())}");
    Console.WriteLine($"real      {string.Join(' ', testY[..10].ToArray<long>())}");
}
return 0;
