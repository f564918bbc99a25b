// Classifies Fashion-MNIST with an LSTM that reads each image row by row, as the classic RNN classification tutorial
// does with MNIST: LSTM(28 → 64) over the 28 rows, Linear(64 → 10) on the last step, Adam(lr 0.01), batch 64, one
// epoch, the loss and the accuracy on 2000 test images every 50 steps.
//   RnnClassification [--data DIR] [--limit N]   (DIR: the IDX files, plain or .gz; N: train on the first N images)
using Descent;
using Descent.Examples;
using Descent.Tensors;

if (FashionMnistExample.ParseArgs(args, "RnnClassification", out string dataDir, out int? limit) is int stop) return stop;

Torch.ManualSeed(1);
if (FashionMnistExample.TryLoad(() => RnnClassification.Load(dataDir, limit), out var data) is int failed) return failed;
var (trainX, trainY, testX, testY) = data;

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
