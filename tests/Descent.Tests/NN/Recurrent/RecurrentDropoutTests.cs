using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN.Recurrent;

/// <summary>Dropout between stacked layers applies in training only and never after the last layer.</summary>
[Collection("GlobalGenerator")]
public class RecurrentDropoutTests
{
    [Fact]
    public void DropoutOneZeroesTheSecondLayersInputInTrainingOnly()
    {
        Torch.ManualSeed(3);
        var m = new LSTM(3, 4, numLayers: 2, dropout: 1);
        var x = Tensor.Randn(5, 2, 3);
        var trained = m.Forward(x, null);
        // The same network with W_ih of layer 1 zeroed, in eval mode, sees the same (zero) input at layer 1.
        var zeroed = new LSTM(3, 4, numLayers: 2, dropout: 1);
        var state = m.StateDict();
        state["weight_ih_l1"] = Tensor.Zeros(16, 4);
        zeroed.LoadStateDict(state);
        zeroed.Eval();
        var expected = zeroed.Forward(x, null);
        TensorAssert.Close(expected.Output, trained.Output, 1e-6, 1e-6, "output");
        TensorAssert.Close(expected.State.H, trained.State.H, 1e-6, 1e-6, "h_n");
        m.Eval();
        var evaluated = m.Forward(x, null);
        Assert.False(evaluated.Output.AllClose(expected.Output));
    }
}
