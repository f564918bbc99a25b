using Descent.NN;

namespace Descent.Serialization;

/// <summary>
/// The allow-list of <c>torch.nn</c> classes a whole-module file (<c>torch.save(model)</c>) may name, each paired
/// with the Descent module it becomes: a pickle that names a class registered here is rebuilt by the class's
/// <c>load</c> function from the saved state (parameters, buffers, submodules, attributes such as
/// <c>in_features</c>) and nothing from the file runs; a class that is not registered is refused by name. Saving a
/// Descent module whole writes the registered Python class, which PyTorch's <c>torch.load</c> opens as that class.
/// </summary>
/// <remarks>
/// Built in: <c>Sequential</c>, <c>Linear</c>, <c>Identity</c>, <c>ReLU</c>, <c>Tanh</c>, <c>Sigmoid</c>,
/// <c>Softmax</c>, <c>LogSoftmax</c>, <c>Softplus</c>, <c>Dropout</c>, <c>Flatten</c> and the losses
/// (<c>MSELoss</c>, <c>L1Loss</c>, <c>NLLLoss</c>, <c>CrossEntropyLoss</c>, <c>BCELoss</c>,
/// <c>BCEWithLogitsLoss</c>), the convolutions, poolings, activations and losses of ModuleClasses.Layers.cs, and
/// <c>BatchNorm1d</c>, <c>BatchNorm2d</c>, <c>LayerNorm</c>, <c>GroupNorm</c> and <c>Embedding</c>, and the recurrent
/// <c>RNN</c>, <c>LSTM</c>, <c>GRU</c>, <c>RNNCell</c>, <c>LSTMCell</c> and <c>GRUCell</c>. A layer added later
/// joins with one <see cref="Register{TModule}"/> call.
/// </remarks>
public static partial class ModuleClasses
{
    private static readonly Lock Gate = new();
    private static Dictionary<string, Registration> byName = new(StringComparer.Ordinal);
    private static Dictionary<Type, Registration> byType = [];

    /// <summary>One registered class.</summary>
    internal sealed record Registration(string PythonClass, Type Type, Func<SavedModule, Module> Load, Func<Module, IEnumerable<(string Name, object? Value)>> Save)
    {
        /// <summary>Attributes the class's <c>__init__</c> sets before <c>nn.Module.__init__</c> (RNN's <c>nonlinearity</c>), so first in its <c>__dict__</c>.</summary>
        public Func<Module, IEnumerable<(string Name, object? Value)>>? SaveFirst { get; init; }

        /// <summary>
        /// Whether the class's attributes list its parameter names as strings its <c>__init__</c> made (RNNBase's
        /// <c>_flat_weights_names</c>): Python's setattr interns each name, so a list holds the parameter dict's key
        /// where this module interned the name first, and another string object of its own where an earlier module had.
        /// </summary>
        public bool RuntimeParameterNames { get; init; }

        /// <summary>The Python module, e.g. <c>torch.nn.modules.linear</c>.</summary>
        public string PythonModule => PythonClass[..PythonClass.LastIndexOf('.')];

        /// <summary>The class name, e.g. <c>Linear</c>.</summary>
        public string PythonName => PythonClass[(PythonClass.LastIndexOf('.') + 1)..];
    }

    static ModuleClasses() => RegisterBuiltins();

    /// <summary>
    /// Adds <typeparamref name="TModule"/> as the Python class <paramref name="pythonClass"/> (its full name, e.g.
    /// <c>torch.nn.modules.linear.Linear</c>). <paramref name="load"/> builds the module from what the file saved; a
    /// module it returns must have the saved parameters and buffers by name and shape (values it did not take
    /// over are copied in) and exactly the saved submodules. <paramref name="save"/> lists the class's own
    /// attributes, in the order PyTorch's <c>__init__</c> sets them (e.g. <c>in_features</c>, <c>out_features</c>):
    /// parameters, buffers, submodules and the training flag are written for every module.
    /// </summary>
    /// <exception cref="ArgumentException">The name or the type is registered already, or the name is not dotted.</exception>
    public static void Register<TModule>(string pythonClass, Func<SavedModule, TModule> load, Func<TModule, IEnumerable<(string Name, object? Value)>> save)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(pythonClass);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(save);
        int dot = pythonClass.LastIndexOf('.');
        if (dot <= 0 || dot == pythonClass.Length - 1 || pythonClass.Any(c => c is '\n' or ' '))
            throw new ArgumentException($"'{pythonClass}' is not a dotted Python class name such as torch.nn.modules.linear.Linear", nameof(pythonClass));
        if (PickleGlobals.IsCallable(pythonClass)) throw new ArgumentException($"'{pythonClass}' is a function the unpickler calls, not a module class", nameof(pythonClass));
        Add(pythonClass, new Registration(pythonClass, typeof(TModule), s => load(s), m => save((TModule)m)));
    }

    /// <summary>A built-in class whose pickled state needs one of the <see cref="Registration"/> options.</summary>
    private static void RegisterWithOptions<TModule>(string pythonClass, Func<SavedModule, TModule> load, Func<TModule, IEnumerable<(string Name, object? Value)>> save,
        Func<TModule, IEnumerable<(string Name, object? Value)>>? saveFirst, bool runtimeParameterNames)
        where TModule : Module =>
        Add(pythonClass, new Registration(pythonClass, typeof(TModule), s => load(s), m => save((TModule)m))
        {
            SaveFirst = saveFirst is null ? null : m => saveFirst((TModule)m),
            RuntimeParameterNames = runtimeParameterNames,
        });

    private static void Add(string pythonClass, Registration r)
    {
        lock (Gate)
        {
            if (byName.ContainsKey(pythonClass)) throw new ArgumentException($"'{pythonClass}' is registered already", nameof(pythonClass));
            if (byType.TryGetValue(r.Type, out var other)) throw new ArgumentException($"{r.Type.Name} is registered already, as '{other.PythonClass}'");
            // Copy on write: loaders on other threads read the tables without the lock.
            byName = new(byName, StringComparer.Ordinal) { [pythonClass] = r };
            byType = new(byType) { [r.Type] = r };
        }
    }

    /// <summary>Every registered Python class name, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>(byName.Keys);
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>The registration of a Python class, or null.</summary>
    internal static Registration? Find(string pythonClass) => byName.GetValueOrDefault(pythonClass);

    /// <summary>The registration of a Descent module type, or null.</summary>
    internal static Registration? For(Type type) => byType.GetValueOrDefault(type);
}
