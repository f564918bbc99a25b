using Descent.Text;

namespace Descent.Optim;

/// <summary>
/// PyTorch's implementation switches, <c>foreach</c>, <c>fused</c>, <c>capturable</c> and <c>differentiable</c>, checked
/// in one place for every way of setting them: a constructor argument, a <see cref="ParamGroup"/> override, the
/// registry's keyword arguments (and so the CLI's <c>--opt</c> and the replay format). An optimizer has the switches
/// whose keys its defaults hold, as PyTorch's class has those constructor arguments. Descent has one implementation,
/// so <c>foreach</c> and <c>fused</c> choose nothing and change no number; the combinations PyTorch refuses are refused
/// with its messages; <c>capturable</c> is refused when stepped, as PyTorch refuses it on CPU tensors;
/// <c>differentiable</c> runs the step as recorded tensor operations (every optimizer that has the switch has that form).
/// </summary>
internal static class ImplementationFlags
{
    public const string Foreach = "foreach", Fused = "fused", Capturable = "capturable", Differentiable = "differentiable";

    /// <summary>The four switches.</summary>
    public static readonly string[] Names = [Foreach, Fused, Capturable, Differentiable];

    /// <summary>Whether <paramref name="key"/> is one of the switches.</summary>
    public static bool IsFlag(string key) => Array.IndexOf(Names, key) >= 0;

    /// <summary>
    /// Writes the constructor's switches into <paramref name="defaults"/>, which already hold the optimizer's keys in
    /// PyTorch's order with their defaults; a switch the optimizer does not have (no key) is left out.
    /// </summary>
    public static Dictionary<string, object?> With(this Dictionary<string, object?> defaults, bool? forEach, bool capturable, bool differentiable, bool? fused)
    {
        Put(defaults, Foreach, forEach);
        Put(defaults, Capturable, capturable);
        Put(defaults, Differentiable, differentiable);
        Put(defaults, Fused, fused);
        return defaults;

        static void Put(Dictionary<string, object?> d, string key, object? value)
        {
            if (d.ContainsKey(key)) d[key] = value;
        }
    }

    /// <summary>
    /// Checks the switches of <paramref name="options"/> (the constructor's defaults, or a group with its overrides):
    /// each must be one the optimizer has (a key of <paramref name="defaults"/>), a bool (None too for foreach and fused);
    /// then PyTorch's refusals, in its order.
    /// </summary>
    /// <exception cref="ArgumentException">A switch the optimizer lacks, or a value that is not a bool.</exception>
    /// <exception cref="InvalidOperationException">A combination PyTorch refuses (its RuntimeError).</exception>
    public static void Check(string optimizer, IEnumerable<KeyValuePair<string, object?>> options, IReadOnlyDictionary<string, object?> defaults)
    {
        bool forEach = false, fused = false, differentiable = false;
        foreach (var (key, value) in options)
        {
            if (!IsFlag(key)) continue;
            if (!defaults.ContainsKey(key)) throw UnexpectedKeyword(optimizer, key);
            bool on = value switch
            {
                bool b => b,
                null when key is Foreach or Fused => false,
                _ => throw new ArgumentException($"{optimizer}: option '{key}' must be a bool{(key is Foreach or Fused ? " or None" : "")}, got {PyRepr.Of(value)}"),
            };
            if (key == Foreach) forEach = on;
            else if (key == Fused) fused = on;
            else if (key == Differentiable) differentiable = on;
        }
        if (fused)
        {
            if (differentiable) throw new InvalidOperationException("`fused` does not support `differentiable`");
            if (forEach) throw new InvalidOperationException("`fused` and `foreach` cannot be `True` together.");
        }
    }

    /// <summary>Python's message for a keyword argument the class does not take.</summary>
    public static ArgumentException UnexpectedKeyword(string optimizer, string key) =>
        new($"{optimizer}.__init__() got an unexpected keyword argument '{key}'");

    /// <summary>
    /// What PyTorch refuses only when the step runs, checked for every group before the step changes anything:
    /// <c>capturable</c> on CPU tensors (unless <c>fused</c>, whose kernel takes it), and an explicit <c>foreach</c>
    /// with <c>differentiable</c> (PyTorch's multi-tensor functions refuse autograd; its SGD has no such check).
    /// </summary>
    /// <exception cref="InvalidOperationException">PyTorch's AssertionError, with its text.</exception>
    public static void CheckStep(string optimizer, ParamGroup group)
    {
        if (On(group, Capturable) && !On(group, Fused))
            throw new InvalidOperationException(
                $"If capturable=True, {CapturableTensors(optimizer)} must be on supported devices: ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].");
        if (On(group, Foreach) && On(group, Differentiable) && optimizer != nameof(SGD))
            throw new InvalidOperationException("_foreach ops don't support autograd");
    }

    /// <summary>Whether switch <paramref name="key"/> is present and true in <paramref name="group"/>.</summary>
    public static bool On(ParamGroup group, string key) => group.Has(key) && group[key] is true;

    // The tensors PyTorch's single-tensor function names in its capturable assertion.
    private static string CapturableTensors(string optimizer) => optimizer switch
    {
        nameof(NAdam) => "params, mu_products and state_steps",
        nameof(ASGD) => "params, mus, etas, and state_steps",
        _ => "params and state_steps",
    };
}
