// Classifies Fashion-MNIST with an LSTM that reads each image row by row, as the classic RNN classification tutorial
// does with MNIST: LSTM(28 → 64) over the 28 rows, Linear(64 → 10) on the last step, Adam(lr 0.01), batch 64, one
// epoch, the loss and the accuracy on 2000 test images every 50 steps.
//   RnnClassification [--data DIR] [--limit N]   (DIR: the IDX files, plain or .gz; N: train on the first N images)
using Descent;
using Descent.Examples;
using Descent.Tensors;

const string Usage = "usage: RnnClassification [--data DIR] [--limit N]";
string dataDir = RnnClassification.DefaultDataDir;
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
    (trainX, trainY, testX, testY) = RnnClassification.Load(dataDir, limit);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

var net = new RnnClassification.Net();
Console.WriteLine(net);

RnnClassification.Train(net, trainX, trainY, batchSize: 64, lr: 0.01, onStep: (epoch, step, loss) =>
{
    if (step % 50 == 0)
        Console.WriteLine($"epoch {epoch}  step {step,4}  train loss {loss:F4}  test accuracy {RnnClassification.Accuracy(net, testX, testY):F2}");
});

// Ten test images: the predicted class next to the real one.
using (Torch.NoGrad())
{
    var predicted = net.Forward(testX[..10]).Argmax(1);
    Console.WriteLine($"predicted {string.Join(' ', predicted.ToArray<long>())}");
    Console.WriteLine($"real      {string.Join(' ', testY[..10].ToArray<long>())}");
}
return 0;
