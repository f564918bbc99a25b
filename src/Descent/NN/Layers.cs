using Descent.Tensors;

namespace Descent.NN;

/// <summary>max(x, 0), like <c>nn.ReLU</c>.</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>Mean squared error loss, like <c>nn.MSELoss</c>.</summary>
public sealed class MSELoss(string reduction = "mean") : Module
{
    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; } = reduction;

    /// <summary>The loss between <paramref name="input"/> and <paramref name="target"/>.</summary>
    public Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => throw new InvalidOperationException("MSELoss needs an input and a target.");
}

/// <summary>Applies modules in order, like <c>nn.Sequential</c>; children are named 0, 1, 2, …</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> modules = [];

    /// <summary>Chains <paramref name="modules"/>.</summary>
    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    /// <summary>Appends a module.</summary>
    public Sequential Add(Module module)
    {
        RegisterModule(modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        modules.Add(module);
        return this;
    }

    /// <summary>The i-th module.</summary>
    public Module this[int index] => modules[index];

    /// <summary>Number of modules.</summary>
    public int Count => modules.Count;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        foreach (var m in modules) input = m.Forward(input);
        return input;
    }
}
