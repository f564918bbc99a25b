using System.Text.Json;
using Descent.NN;
using Descent.Tensors;
using Descent.Tests.Support;
using Xunit;

namespace Descent.Tests.NN;

/// <summary>Activation modules against PyTorch: forward values, input gradients and printed form (Golden/nn.json).</summary>
public class ActivationGoldenTests
{
    private static JsonElement Case(string name)
    {
        foreach (var c in GoldenJson.Load("nn.json").GetProperty("activations").EnumerateArray())
            if (c.GetProperty("name").GetString() == name) return c;
        throw new KeyNotFoundException(name);
    }

    public static IEnumerable<object[]> Names()
    {
        foreach (var c in GoldenJson.Load("nn.json").GetProperty("activations").EnumerateArray())
            yield return [c.GetProperty("name").GetString()!];
    }

    private static Module Create(string repr) => repr switch
    {
        "ReLU()" => new ReLU(),
        "Sigmoid()" => new Sigmoid(),
        "Tanh()" => new Tanh(),
        "Softplus(beta=1, threshold=20)" => new Softplus(),
        "Softplus(beta=2, threshold=5)" => new Softplus(beta: 2, threshold: 5),
        "Softmax(dim=1)" => new Softmax(1),
        "Softmax(dim=0)" => new Softmax(0),
        "LogSoftmax(dim=1)" => new LogSoftmax(1),
        "LogSoftmax(dim=-1)" => new LogSoftmax(-1),
        "LogSoftmax(dim=0)" => new LogSoftmax(0),
        "Flatten(start_dim=1, end_dim=-1)" => new Flatten(),
        "Flatten(start_dim=0, end_dim=1)" => new Flatten(0, 1),
        "Identity()" => new Identity(),
        _ => throw new ArgumentException(repr),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardAndGradientMatchPyTorch(string name)
    {
        var c = Case(name);
        var repr = c.GetProperty("repr").GetString()!;
        var module = Create(repr);
        Assert.Equal(repr, module.ToString());
        var x = GoldenJson.Tensor(c.GetProperty("input")).RequiresGrad_();
        var y = module.Forward(x);
        GoldenJson.AssertClose(c.GetProperty("output"), y, what: name + " output");
        y.Mul(GoldenJson.Tensor(c.GetProperty("upstream"))).Sum().Backward();
        GoldenJson.AssertClose(c.GetProperty("grad_input"), x.Grad!, what: name + " grad");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FunctionalFormsAgreeWithModules(string name)
    {
        var c = Case(name);
        var x = GoldenJson.Tensor(c.GetProperty("input"));
        var expected = Create(c.GetProperty("repr").GetString()!).Forward(x);
        Tensor? f = c.GetProperty("repr").GetString() switch
        {
            "ReLU()" => Functional.Relu(x),
            "Sigmoid()" => Functional.Sigmoid(x),
            "Tanh()" => Functional.Tanh(x),
            "Softplus(beta=1, threshold=20)" => Functional.Softplus(x),
            "Softmax(dim=1)" => Functional.Softmax(x, 1),
            "LogSoftmax(dim=1)" => Functional.LogSoftmax(x, 1),
            _ => null,
        };
        if (f is not null) Assert.True(f.Equal(expected));
    }
}
