using Descent.NN;
using Descent.Tensors;

namespace Descent.Tests.Support;

// Recurrent layers, float64, first and second order: built from existing differentiable ops, so their gradients
// and double backward come from those nodes' own.
public static partial class GradCases
{
    private static void RecurrentCases(Action<string, string, Func<Random, Tensor[]>, Func<Tensor[], Tensor[]>> fn)
    {
        // LSTM(2, 3), bidirectional, with initial states: input [3, 2, 2], h0 and c0 [2, 2, 3], then per direction w_ih, w_hh, b_ih, b_hh.
        fn("lstm_bidirectional", "lstm", In(N(3, 2, 2), N(2, 2, 3), N(2, 2, 3), N(12, 2), N(12, 3), N(12), N(12), N(12, 2), N(12, 3), N(12), N(12)), x =>
        {
            var (output, (h, c)) = new LSTM(2, 3, x[3..], bidirectional: true).Forward(x[0], (x[1], x[2]));
            return [output, h, c];
        });
        // GRU(2, 2), two layers, batch first: input [2, 3, 2], h0 [2, 2, 2], then per layer w_ih, w_hh, b_ih, b_hh.
        fn("gru_two_layers", "gru", In(N(2, 3, 2), N(2, 2, 2), N(6, 2), N(6, 2), N(6), N(6), N(6, 2), N(6, 2), N(6), N(6)), x =>
        {
            var (output, h) = new GRU(2, 2, x[2..], numLayers: 2, batchFirst: true).Forward(x[0], x[1]);
            return [output, h];
        });
        // LSTMCell(2, 3) on [2, 2] with states [2, 3]; w_ih, w_hh, b_ih, b_hh.
        fn("lstm_cell", "lstm_cell", In(N(2, 2), N(2, 3), N(2, 3), N(12, 2), N(12, 3), N(12), N(12)), x =>
        {
            var (h, c) = new LSTMCell(2, 3, x[3..]).Forward(x[0], (x[1], x[2]));
            return [h, c];
        });
    }
}
