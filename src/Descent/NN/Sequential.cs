using System.Globalization;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Applies modules in order, like <c>nn.Sequential</c>; children are named 0, 1, 2, … (or given names), and it
/// prints as PyTorch's: <c>Sequential(\n  (0): Linear(in_features=1, out_features=10, bias=True)\n  (1): ReLU()\n ...)</c>.
/// </summary>
public sealed class Sequential : Module
{
    private readonly List<Module> modules = [];

    /// <summary>Chains <paramref name="modules"/>, named by position.</summary>
    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) Append(m);
    }

    /// <summary>Chains named modules, like <c>nn.Sequential(OrderedDict(...))</c>.</summary>
    public Sequential(IEnumerable<(string Name, Module Module)> namedModules)
    {
        foreach (var (name, m) in namedModules)
        {
            RegisterModule(name, m);
            modules.Add(m);
        }
    }

    /// <summary>Appends a module under the next index, like <c>append</c>.</summary>
    public Sequential Append(Module module)
    {
        RegisterModule(modules.Count.ToString(CultureInfo.InvariantCulture), module);
        modules.Add(module);
        return this;
    }

    /// <summary>The i-th module; negative indices count from the end, as in Python.</summary>
    /// <exception cref="IndexOutOfRangeException">"index {i} is out of range".</exception>
    public Module this[int index]
    {
        get
        {
            if (index < -modules.Count || index >= modules.Count) throw new IndexOutOfRangeException($"index {index} is out of range");
            return modules[index < 0 ? index + modules.Count : index];
        }
    }

    /// <summary>Number of modules, like <c>len()</c>.</summary>
    public int Count => modules.Count;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        foreach (var m in modules) input = m.Call(input);
        return input;
    }
}
