using System.Globalization;
using Descent.NN;
using Descent.Tensors;

namespace Descent.Serialization;

/// <summary>
/// What a whole-module file saved for one <c>torch.nn</c> module (its <c>__dict__</c>), handed to the class's load
/// function in <see cref="ModuleClasses"/>: parameters, buffers and submodules (already rebuilt) in their saved
/// order, the training flag, and the class's own attributes (<c>in_features</c>, <c>p</c>, <c>dim</c>, …). The
/// typed readers throw <see cref="InvalidDataException"/> naming the class and the attribute when it is missing or
/// of the wrong type, so a load function can simply read what it needs.
/// </summary>
public sealed class SavedModule
{
    internal SavedModule(string className, bool training, List<(string, Tensor?)> parameters, List<(string, Tensor?)> buffers,
        HashSet<string> nonPersistentBuffers, List<(string, Module?)> children, List<(string, object?)> attributes)
    {
        ClassName = className;
        Training = training;
        Parameters = parameters;
        Buffers = buffers;
        NonPersistentBuffers = nonPersistentBuffers;
        Children = children;
        Attributes = attributes;
    }

    /// <summary>The Python class, e.g. <c>torch.nn.modules.linear.Linear</c>.</summary>
    public string ClassName { get; }

    /// <summary>The module's <c>training</c> flag.</summary>
    public bool Training { get; }

    /// <summary>The parameters (<c>_parameters</c>), in order; a null value is a registered but absent one (a Linear without bias).</summary>
    public IReadOnlyList<(string Name, Tensor? Value)> Parameters { get; }

    /// <summary>The buffers (<c>_buffers</c>), in order; null values as for parameters.</summary>
    public IReadOnlyList<(string Name, Tensor? Value)> Buffers { get; }

    /// <summary>The buffers left out of the state dict (<c>_non_persistent_buffers_set</c>).</summary>
    public IReadOnlyCollection<string> NonPersistentBuffers { get; }

    /// <summary>The submodules (<c>_modules</c>), in order, already rebuilt; null for a registered but absent one.</summary>
    public IReadOnlyList<(string Name, Module? Value)> Children { get; }

    /// <summary>The class's other attributes, in the order they were saved, as the object model holds them.</summary>
    public IReadOnlyList<(string Name, object? Value)> Attributes { get; }

    private string Short => ClassName[(ClassName.LastIndexOf('.') + 1)..];

    /// <summary>Whether the attribute <paramref name="name"/> was saved.</summary>
    public bool Has(string name) => Attributes.Any(a => a.Name == name);

    /// <summary>The attribute <paramref name="name"/> as it was saved.</summary>
    public object? Get(string name)
    {
        foreach (var (n, v) in Attributes)
            if (n == name) return v;
        throw Bad($"has no attribute '{name}'");
    }

    /// <summary>An int attribute that fits in 32 bits.</summary>
    public int GetInt(string name) => Get(name) is long l and >= int.MinValue and <= int.MaxValue
        ? (int)l : throw Bad($"attribute '{name}' is {PickleRepr.Of(Get(name))}, not a 32-bit int");

    /// <summary>An int attribute that may be None.</summary>
    public int? GetOptionalInt(string name) => Get(name) is null ? null : GetInt(name);

    /// <summary>A 64-bit int attribute.</summary>
    public long GetLong(string name) => Get(name) is long l ? l : throw Bad($"attribute '{name}' is {PickleRepr.Of(Get(name))}, not an int");

    /// <summary>A number attribute (a Python float, or an int, as Python accepts either).</summary>
    public double GetDouble(string name) => Get(name) switch
    {
        double d => d,
        long l => l,
        var v => throw Bad($"attribute '{name}' is {PickleRepr.Of(v)}, not a number"),
    };

    /// <summary>A bool attribute.</summary>
    public bool GetBool(string name) => Get(name) is bool b ? b : throw Bad($"attribute '{name}' is {PickleRepr.Of(Get(name))}, not a bool");

    /// <summary>A string attribute.</summary>
    public string GetString(string name) => Get(name) is string s ? s : throw Bad($"attribute '{name}' is {PickleRepr.Of(Get(name))}, not a str");

    /// <summary>The parameter <paramref name="name"/>, which must be present and not None.</summary>
    public Tensor GetParameter(string name) => GetOptionalParameter(name) ?? throw Bad($"parameter '{name}' is None");

    /// <summary>The parameter <paramref name="name"/>, which must be registered (null when saved as None).</summary>
    public Tensor? GetOptionalParameter(string name)
    {
        foreach (var (n, v) in Parameters)
            if (n == name) return v;
        throw Bad($"has no parameter '{name}'");
    }

    /// <summary>The buffer <paramref name="name"/>, which must be registered (null when saved as None).</summary>
    public Tensor? GetBuffer(string name)
    {
        foreach (var (n, v) in Buffers)
            if (n == name) return v;
        throw Bad($"has no buffer '{name}'");
    }

    /// <summary>Refuses a tensor of the wrong shape: <paramref name="what"/> names it, <paramref name="shape"/> is what the attributes imply.</summary>
    public void CheckShape(Tensor? tensor, string what, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (tensor is not null && !ShapeHelper.SameShape(tensor.Shape, shape))
            throw Bad($"{what} has shape {ShapeHelper.Format(tensor.Shape)}, but its attributes say {ShapeHelper.Format(shape)}");
    }

    /// <summary>An <see cref="InvalidDataException"/> about this module: "<c>Linear: {message}</c>".</summary>
    public InvalidDataException Bad(string message) => new($"{Short} {message}");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ClassName} ({Parameters.Count} parameters, {Buffers.Count} buffers, {Children.Count} submodules, {Attributes.Count} attributes)");
}
