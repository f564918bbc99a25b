// Classifies Fashion-MNIST with a small convolutional network, as the classic CNN tutorial does with MNIST: two
// blocks of 5×5 convolution (padding 2), ReLU and 2×2 max pooling (1 → 16 → 32 channels, 28 → 14 → 7 pixels), then
// Linear(32·7·7 → 10); Adam(lr 0.001), batch 50, one epoch, the loss and the accuracy on 2000 test images every 50 steps.
//   Cnn [--data DIR] [--limit N]   (DIR: the IDX files, plain or .gz; N: train on the first N images)
using Descent;
using Descent.Examples;
using Descent.Tensors;

if (FashionMnistExample.ParseArgs(args, "Cnn", out string dataDir, out int? limit) is int stop) return stop;

Torch.ManualSeed(1);
if (FashionMnistExample.TryLoad(() => Cnn.Load(dataDir, limit), out var data) is int failed) return failed;
var (trainX, trainY, testX, testY) = data;

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
