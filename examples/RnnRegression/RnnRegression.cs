using Descent.NN;
using Descent.Optim;
using Descent.Tensors;

namespace Descent.Examples;

/// <summary>
/// The RNN regression tutorial: an Elman RNN reads sin(t) one window of <see cref="TimeStep"/> points at a time and
/// predicts cos(t) at every point, its hidden state carried over from one window to the next.
/// </summary>
public static class RnnRegression
{
    /// <summary>Points per window (the sequence length of one step).</summary>
    public const int TimeStep = 10;

    /// <summary>
    /// Window <paramref name="step"/>: the times t of [step·π, (step + 1)·π) split into <see cref="TimeStep"/> equal parts
    /// (NumPy's <c>np.linspace(start, end, TIME_STEP, dtype=np.float32, endpoint=False)</c>: computed in double, stored as
    /// float), with x = sin(t) and y = cos(t), each shaped [batch 1, time <see cref="TimeStep"/>, feature 1].
    /// </summary>
    public static (Tensor X, Tensor Y) Window(int step)
    {
        double start = step * Math.PI, end = (step + 1) * Math.PI, width = (end - start) / TimeStep;
        var x = new float[TimeStep];
        var y = new float[TimeStep];
        for (int i = 0; i < TimeStep; i++)
        {
            float t = (float)(i * width + start);
            x[i] = (float)Math.Sin(t);
            y[i] = (float)Math.Cos(t);
        }
        return (Tensor.FromArray(x, 1, TimeStep, 1), Tensor.FromArray(y, 1, TimeStep, 1));
    }

    /// <summary>The tutorial's network: RNN(1 → 32, batch first), then Linear(32 → 1) on the output of every time step.</summary>
    public sealed class Net : Module
    {
        private readonly RNN rnn;
        private readonly Linear output;

        /// <summary>Registers <c>rnn</c>, then <c>out</c>, as the PyTorch module does (so a seed gives the same weights).</summary>
        public Net(int hiddenSize = 32)
        {
            rnn = RegisterModule("rnn", new RNN(inputSize: 1, hiddenSize: hiddenSize, batchFirst: true));
            output = RegisterModule("out", new Linear(hiddenSize, 1));
        }

        /// <summary>The prediction for every step of <paramref name="x"/> from a zero state.</summary>
        public override Tensor Forward(Tensor x) => Forward(x, null).Prediction;

        /// <summary>
        /// x [batch, time, 1] and the state h [1, batch, hidden] (zeros when null) give the prediction [batch, time, 1]
        /// and the state after the last step.
        /// </summary>
        public (Tensor Prediction, Tensor H) Forward(Tensor x, Tensor? h)
        {
            var (sequence, hNext) = rnn.Forward(x, h);        // sequence: [batch, time, hidden]
            var perStep = new Tensor[sequence.Size(1)];
            for (int t = 0; t < perStep.Length; t++)
                perStep[t] = output.Forward(sequence.Select(1, t));   // the same linear layer at each step: [batch, 1]
            return (Tensor.Stack(perStep, dim: 1), hNext);
        }
    }

    /// <summary>
    /// Trains on windows 0, 1, ..., <paramref name="steps"/> − 1 in order with Adam and MSE; the hidden state passes from
    /// one window to the next detached, so gradients stop at the window's start. Returns every step's loss.
    /// </summary>
    public static double[] Fit(Net net, int steps = 100, double lr = 0.02, Action<int, double>? onStep = null)
    {
        var optimizer = new Adam(net.Parameters(), lr: lr);
        var lossFunc = new MSELoss();
        var losses = new double[steps];
        Tensor? h = null;                                   // no state before the first window: zeros
        for (int step = 0; step < steps; step++)
        {
            var (x, y) = Window(step);
            var (prediction, hNext) = net.Forward(x, h);
            h = hNext.Detach();                             // keep the state's value, drop its history
            var loss = lossFunc.Forward(prediction, y);

            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();

            losses[step] = loss.Item();
            onStep?.Invoke(step, losses[step]);
        }
        return losses;
    }
}
