using Descent.Optim;
using Descent.Tensors;
using Xunit;

namespace Descent.Tests.Optim;

/// <summary>
/// The optimizer table for the behaviour tests, in the style of PyTorch's common_optimizers.py. The optimizers are
/// those <see cref="OptimizerRegistry"/> knows (<see cref="Names"/>), so one registered there gets every table-driven
/// test: with its defaults alone, or with the option configurations listed in <see cref="Configs"/>.
/// Error inputs list PyTorch's exact messages.
/// </summary>
public static class OptimizerCases
{
    /// <summary>Every optimizer the tests run: the registry's, in a stable order.</summary>
    public static IReadOnlyList<string> Names => [.. OptimizerRegistry.Names.Order(StringComparer.Ordinal)];

    /// <summary>The option configurations of <paramref name="name"/>: those of <see cref="Configs"/>, else its defaults alone.</summary>
    public static Dictionary<string, object?>[] ConfigsOf(string name) => Configs.TryGetValue(name, out var c) ? c : [new()];

    /// <summary>Option configurations (PyTorch keyword arguments) per optimizer; one not listed runs with its defaults alone.</summary>
    public static readonly Dictionary<string, Dictionary<string, object?>[]> Configs = new()
    {
        ["SGD"] = [new() { ["lr"] = 0.1 }, new() { ["lr"] = 0.1, ["momentum"] = 0.9, ["nesterov"] = true, ["weight_decay"] = 0.1 }],
        ["Adam"] = [new(), new() { ["amsgrad"] = true, ["maximize"] = true, ["weight_decay"] = 0.1 }],
        ["AdamW"] = [new(), new() { ["amsgrad"] = true }],
        ["Adadelta"] = [new(), new() { ["rho"] = 0.5, ["weight_decay"] = 0.1 }],
        ["Adagrad"] = [new(), new() { ["lr_decay"] = 0.1, ["initial_accumulator_value"] = 0.3 }],
        ["Adamax"] = [new(), new() { ["weight_decay"] = 0.1, ["maximize"] = true }],
        ["ASGD"] = [new(), new() { ["t0"] = 1.0 }],
        ["NAdam"] = [new(), new() { ["decoupled_weight_decay"] = true, ["weight_decay"] = 0.1 }],
        ["RAdam"] = [new(), new() { ["decoupled_weight_decay"] = true, ["weight_decay"] = 0.1 }],
        ["RMSprop"] = [new(), new() { ["centered"] = true, ["momentum"] = 0.9 }],
        ["Rprop"] = [new(), new() { ["etas"] = new List<object?> { 0.3, 1.5 } }],
        ["LBFGS"] = [new(), new() { ["line_search_fn"] = "strong_wolfe", ["history_size"] = 3 }],
        ["SparseAdam"] = [new()],
        ["Adafactor"] = [new(), new() { ["weight_decay"] = 0.1 }],
        ["Muon"] = [new(), new() { ["nesterov"] = false, ["use_addmm"] = true }],
    };

    /// <summary>Error inputs: optimizer, options, expected exception type and PyTorch's message.</summary>
    public static readonly (string Name, Dictionary<string, object?> Options, Type Error, string Message)[] Errors =
    [
        ("SGD", new() { ["lr"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Invalid learning rate: -0.1"),
        ("SGD", new() { ["momentum"] = -0.5 }, typeof(ArgumentOutOfRangeException), "Invalid momentum value: -0.5"),
        ("SGD", new() { ["weight_decay"] = -1.0 }, typeof(ArgumentOutOfRangeException), "Invalid weight_decay value: -1.0"),
        ("SGD", new() { ["nesterov"] = true }, typeof(ArgumentException), "Nesterov momentum requires a momentum and zero dampening"),
        ("SGD", new() { ["nesterov"] = true, ["momentum"] = 0.9, ["dampening"] = 0.1 }, typeof(ArgumentException), "Nesterov momentum requires a momentum and zero dampening"),
        ("Adam", new() { ["lr"] = -0.01 }, typeof(ArgumentOutOfRangeException), "Invalid learning rate: -0.01"),
        ("Adam", new() { ["eps"] = -1e-8 }, typeof(ArgumentOutOfRangeException), "Invalid epsilon value: -1e-08"),
        ("Adam", new() { ["betas"] = new List<object?> { 1.5, 0.999 } }, typeof(ArgumentOutOfRangeException), "Invalid beta parameter at index 0: 1.5"),
        ("Adam", new() { ["betas"] = new List<object?> { 0.9, 1.0 } }, typeof(ArgumentOutOfRangeException), "Invalid beta parameter at index 1: 1.0"),
        ("Adam", new() { ["weight_decay"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Invalid weight_decay value: -0.1"),
        ("AdamW", new() { ["betas"] = new List<object?> { -0.1, 0.999 } }, typeof(ArgumentOutOfRangeException), "Invalid beta parameter at index 0: -0.1"),
        ("Adadelta", new() { ["rho"] = 1.1 }, typeof(ArgumentOutOfRangeException), "Invalid rho value: 1.1"),
        ("Adadelta", new() { ["eps"] = -1.0 }, typeof(ArgumentOutOfRangeException), "Invalid epsilon value: -1.0"),
        ("Adagrad", new() { ["lr_decay"] = -0.5 }, typeof(ArgumentOutOfRangeException), "Invalid lr_decay value: -0.5"),
        ("Adagrad", new() { ["initial_accumulator_value"] = -0.5 }, typeof(ArgumentOutOfRangeException), "Invalid initial_accumulator_value value: -0.5"),
        ("Adamax", new() { ["betas"] = new List<object?> { 0.9, 1.5 } }, typeof(ArgumentOutOfRangeException), "Invalid beta parameter at index 1: 1.5"),
        ("ASGD", new() { ["weight_decay"] = -0.5 }, typeof(ArgumentOutOfRangeException), "Invalid weight_decay value: -0.5"),
        ("NAdam", new() { ["momentum_decay"] = -0.2 }, typeof(ArgumentOutOfRangeException), "Invalid momentum_decay value: -0.2"),
        ("RAdam", new() { ["eps"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Invalid epsilon value: -0.1"),
        ("RMSprop", new() { ["alpha"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Invalid alpha value: -0.1"),
        ("RMSprop", new() { ["momentum"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Invalid momentum value: -0.1"),
        ("Rprop", new() { ["etas"] = new List<object?> { 1.0, 1.2 } }, typeof(ArgumentOutOfRangeException), "Invalid eta values: 1.0, 1.2"),
        ("Rprop", new() { ["etas"] = new List<object?> { 0.5, 0.9 } }, typeof(ArgumentOutOfRangeException), "Invalid eta values: 0.5, 0.9"),
        ("LBFGS", new() { ["lr"] = -1.0 }, typeof(ArgumentOutOfRangeException), "Invalid learning rate: -1.0"),
        ("SparseAdam", new() { ["lr"] = 0.0 }, typeof(ArgumentOutOfRangeException), "Invalid learning rate: 0.0"),
        ("SparseAdam", new() { ["eps"] = 0.0 }, typeof(ArgumentOutOfRangeException), "Invalid epsilon value: 0.0"),
        ("Adafactor", new() { ["lr"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Learning rate should be >= 0 but is: -0.1"),
        ("Adafactor", new() { ["beta2_decay"] = 0.5 }, typeof(ArgumentOutOfRangeException), "beta2_decay should be <= 0 but is: 0.5"),
        ("Adafactor", new() { ["eps"] = new List<object?> { -1.0, 1e-3 } }, typeof(ArgumentOutOfRangeException), "epsilon1 should be >= 0 but is: -1.0"),
        ("Adafactor", new() { ["eps"] = new List<object?> { null, -1e-3 } }, typeof(ArgumentOutOfRangeException), "epsilon2 should be >= 0 but is: -0.001"),
        ("Adafactor", new() { ["d"] = 0.5 }, typeof(ArgumentOutOfRangeException), "Clipping threshold d should be >= 1 but is: 0.5"),
        ("Adafactor", new() { ["weight_decay"] = -0.1 }, typeof(ArgumentOutOfRangeException), "weight_decay should be >= 0 but is: -0.1"),
        ("Muon", new() { ["lr"] = -0.1 }, typeof(ArgumentOutOfRangeException), "Learning rate should be >= 0 but is: -0.1"),
        ("Muon", new() { ["momentum"] = -0.1 }, typeof(ArgumentOutOfRangeException), "momentum should be >= 0 but is: -0.1"),
        ("Muon", new() { ["weight_decay"] = -0.1 }, typeof(ArgumentOutOfRangeException), "weight decay should be >= 0 but is: -0.1"),
        ("Muon", new() { ["adjust_lr_fn"] = "foo" }, typeof(ArgumentException), "Adjust learning rate function foo is not supported"),
    ];

    /// <summary>Every (optimizer, config index) pair.</summary>
    public static IEnumerable<object[]> All()
    {
        foreach (var name in Names)
            for (int i = 0; i < ConfigsOf(name).Length; i++) yield return [name, i];
    }

    /// <summary>Every (optimizer, config index, dtype) triple, the dtype float32 or float64.</summary>
    public static IEnumerable<object[]> AllDTypes()
    {
        foreach (var c in All())
            foreach (var dtype in new[] { DType.Float32, DType.Float64 }) yield return [.. c, dtype];
    }

    /// <summary>Every (optimizer, config index) pair of the optimizers that step in chunks (<see cref="StepsInChunks"/>).</summary>
    public static TheoryData<string, int> Chunked()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Names.Where(StepsInChunks))
            for (int config = 0; config < ConfigsOf(name).Length; config++) data.Add(name, config);
        return data;
    }

    /// <summary>As <see cref="Chunked"/>, each pair in float32 and in float64.</summary>
    public static TheoryData<string, int, DType> ChunkedDTypes()
    {
        var data = new TheoryData<string, int, DType>();
        foreach (var name in Names.Where(StepsInChunks))
            for (int config = 0; config < ConfigsOf(name).Length; config++)
                foreach (var dtype in new[] { DType.Float32, DType.Float64 }) data.Add(name, config, dtype);
        return data;
    }

    /// <summary>
    /// Whether <paramref name="name"/> steps through a <see cref="StepLoop{TState, TJob}"/>, whose updates are queued and
    /// may be cut into chunks run on several threads (not LBFGS, Muon or Adafactor).
    /// </summary>
    public static bool StepsInChunks(string name)
    {
        for (var t = Make(name, 0, Params()).GetType(); t is not null; t = t.BaseType)
            foreach (var f in t.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
                if (f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(StepLoop<,>)) return true;
        return false;
    }

    /// <summary>Fresh 2-D parameters (Muon takes nothing else), deterministic values, of <paramref name="dtype"/>.</summary>
    public static List<Tensor> Params(int count = 3, int seed = 0, DType dtype = DType.Float32)
    {
        var ps = new List<Tensor>();
        for (int k = 0; k < count; k++)
        {
            var v = new float[6];
            var w = new double[6];
            for (int i = 0; i < v.Length; i++)
            {
                v[i] = MathF.Sin(1 + i + 7 * k + 13 * seed) * 0.8f;
                w[i] = Math.Sin(1 + i + 7 * k + 13 * seed) * 0.8;
            }
            ps.Add((dtype == DType.Float64 ? Tensor.FromArray(w, 2, 3) : Tensor.FromArray(v, 2, 3)).RequiresGrad_());
        }
        return ps;
    }

    /// <summary>Creates <paramref name="name"/> with config <paramref name="config"/> over one group of <paramref name="ps"/>.</summary>
    public static Optimizer Make(string name, int config, IEnumerable<Tensor> ps) => Make(name, config, [new ParamGroup(ps)]);

    /// <summary>Creates <paramref name="name"/> with config <paramref name="config"/> over <paramref name="groups"/>.</summary>
    public static Optimizer Make(string name, int config, IEnumerable<ParamGroup> groups) =>
        OptimizerRegistry.Create(name, groups, ConfigsOf(name)[config]);

    /// <summary>The closure: Σ weights·p² + Σ p over every parameter, differentiated.</summary>
    public static Tensor Loss(Optimizer opt)
    {
        opt.ZeroGrad();
        Tensor? total = null;
        int k = 0;
        foreach (var g in opt.ParamGroups)
            foreach (var p in g.Params)
            {
                var term = (p * p * (1.0 + k) + p * 0.3).Sum();
                total = total is null ? term : total + term;
                k++;
            }
        total!.Backward();
        return total;
    }

    /// <summary>One step the way each optimizer takes it (LBFGS through its closure).</summary>
    public static Tensor StepOnce(Optimizer opt)
    {
        if (opt is LBFGS) return opt.Step(() => Loss(opt))!;
        var loss = Loss(opt);
        opt.Step();
        return loss;
    }
}
