using Descent.NN;
using Descent.Tensors;

namespace Descent.Tests.NN;

/// <summary>The tutorials' Net: hidden Linear, ReLU, predict Linear, layers made in PyTorch's order.</summary>
internal sealed class Net : Module
{
    public Net(int nFeature = 1, int nHidden = 20, int nOutput = 1)
    {
        Hidden = RegisterModule("hidden", new Linear(nFeature, nHidden));
        Predict = RegisterModule("predict", new Linear(nHidden, nOutput));
    }

    public Linear Hidden { get; }

    public Linear Predict { get; }

    public override Tensor Forward(Tensor x) => Predict.Forward(Functional.Relu(Hidden.Forward(x)));
}

/// <summary>A module that exposes registration, for testing its rules.</summary>
internal sealed class Open : Module
{
    public Tensor? Param(string name, Tensor? value) => RegisterParameter(name, value);

    public Tensor? Buffer(string name, Tensor? value, bool persistent = true) => RegisterBuffer(name, value, persistent);

    public T Child<T>(string name, T module) where T : Module => RegisterModule(name, module);

    public override Tensor Forward(Tensor input) => input;
}
