using System.Globalization;
using System.Runtime.CompilerServices;
using Descent.Tensors;
using Descent.Text;

namespace Descent.Optim;

/// <summary>
/// How optimizer options and state print, as Python prints PyTorch's: through <see cref="PyRepr"/>, tensors as
/// <see cref="Tensor.ToString"/>, and each number in the Python type of PyTorch's default. Descent keeps numeric
/// options as doubles, but PyTorch's signatures write some defaults as int literals (<c>weight_decay=0</c>, LBFGS's
/// <c>lr=1</c>, the 50 of Rprop's <c>step_sizes=(1e-06, 50)</c>) and Python prints an int without a decimal point.
/// So a whole value of such an option prints as an int and any other value as a float: what PyTorch prints for its
/// defaults, and for values given in the type of the default (<c>weight_decay=5</c>, <c>lr=1.0</c>).
/// </summary>
internal static class OptionPrinting
{
    // Per optimizer (PyTorch's class name): the options whose default PyTorch writes with int literals, and which of
    // their numbers (bit i: the i-th of a tuple; bit 0 for a plain number). A class that is absent has none.
    private static readonly Dictionary<string, Dictionary<string, int>> IntLiterals = new()
    {
        ["SGD"] = Plain("momentum", "dampening", "weight_decay"),
        ["Adam"] = Plain("weight_decay"),
        ["Adadelta"] = Plain("weight_decay"),
        ["Adagrad"] = Plain("lr_decay", "weight_decay", "initial_accumulator_value"),
        ["Adamax"] = Plain("weight_decay"),
        ["ASGD"] = Plain("weight_decay"),
        ["NAdam"] = Plain("weight_decay"),
        ["RAdam"] = Plain("weight_decay"),
        ["RMSprop"] = Plain("weight_decay", "momentum"),
        ["Rprop"] = new() { ["step_sizes"] = 0b10 },
        ["LBFGS"] = Plain("lr", "max_iter", "max_eval", "history_size"),
        ["Muon"] = Plain("ns_steps"),
    };

    private static Dictionary<string, int> Plain(params string[] options) => options.ToDictionary(o => o, _ => 1);

    /// <summary>Every (optimizer, option) the table lists, for checking it against the optimizers' own options.</summary>
    internal static IEnumerable<(string Optimizer, string Option)> IntLiteralOptions =>
        IntLiterals.SelectMany(o => o.Value.Keys.Select(k => (o.Key, k)));

    /// <summary>Describes tensors for <see cref="PyRepr"/>: their repr, as Python's containers print them.</summary>
    public static string? Tensors(object v) => v is Tensor t ? t.ToString() : null;

    /// <summary>
    /// <paramref name="value"/> of option <paramref name="key"/> of <paramref name="optimizer"/> (a class name, or
    /// null when unknown) with the numbers PyTorch's default writes as ints marked to print as ints when whole.
    /// <c>initial_lr</c>, a scheduler's copy of <c>lr</c>, follows <c>lr</c>.
    /// </summary>
    public static object? AsPython(string? optimizer, string key, object? value)
    {
        if (optimizer is null || !IntLiterals.TryGetValue(optimizer, out var options)) return value;
        if (!options.TryGetValue(key == "initial_lr" ? "lr" : key, out int slots)) return value;
        return value switch
        {
            double d when (slots & 1) != 0 => new WholeAsInt(d),
            ITuple { Length: 2 } t => (Slot(t[0], slots, 0), Slot(t[1], slots, 1)),
            ITuple { Length: 3 } t => (Slot(t[0], slots, 0), Slot(t[1], slots, 1), Slot(t[2], slots, 2)),
            _ => value,
        };
    }

    /// <summary><c>str</c> of the option, as <c>print(optimizer)</c> shows it.</summary>
    public static string Display(string? optimizer, string key, object? value) => PyRepr.Display(AsPython(optimizer, key, value), Tensors);

    /// <summary>A group's options (and <c>params</c> where given) as a dict in Python types, in their order.</summary>
    public static OrderedDictionary<string, object?> AsPython(string? optimizer, IEnumerable<KeyValuePair<string, object?>> options)
    {
        var d = new OrderedDictionary<string, object?>();
        foreach (var (k, v) in options) d[k] = AsPython(optimizer, k, v);
        return d;
    }

    private static object? Slot(object? item, int slots, int i) => item is double d && (slots & (1 << i)) != 0 ? new WholeAsInt(d) : item;

    // A double that Python holds as an int: PyRepr prints what IFormattable gives, an int when whole, else a float.
    private readonly record struct WholeAsInt(double Value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => PyRepr.Number(Value);

        public override string ToString() => ToString(null, CultureInfo.InvariantCulture);
    }
}
