using System.Text;
using Descent.Autograd;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Base class of layers and networks, like <c>nn.Module</c>: named parameters, buffers and child modules
/// registered in order, recursive traversal with PyTorch's dotted names, train/eval mode, state dicts, printing.
/// </summary>
public abstract partial class Module
{
    private readonly List<(string Name, Tensor? Value)> parameters = [];
    private readonly List<(string Name, Tensor? Value, bool Persistent)> buffers = [];
    private readonly List<(string Name, Module Value)> children = [];

    /// <summary>Whether the module is in training mode (affects Dropout and the like).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The forward computation.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Registers a parameter under <paramref name="name"/>, like <c>register_parameter</c>; null registers an absent
    /// one (a Linear without bias). Registering a name again replaces the value in place, as in PyTorch.
    /// </summary>
    protected Tensor? RegisterParameter(string name, Tensor? value)
    {
        CheckName(name, "parameter", Kind.Parameter);
        if (value is not null && !value.IsLeaf)
            throw new ArgumentException(
                $"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created explicitly. " +
                $"To express '{name}' as a function of another Tensor, compute the value in the forward() method.");
        int i = parameters.FindIndex(e => e.Name == name);
        if (i >= 0) parameters[i] = (name, value);
        else parameters.Add((name, value));
        return value;
    }

    /// <summary>
    /// Registers a buffer: state that is not trained, like <c>register_buffer</c>. Persistent buffers are part of
    /// the state dict; non-persistent ones are not.
    /// </summary>
    protected Tensor? RegisterBuffer(string name, Tensor? value, bool persistent = true)
    {
        CheckName(name, "buffer", Kind.Buffer);
        int i = buffers.FindIndex(e => e.Name == name);
        if (i >= 0) buffers[i] = (name, value, persistent);
        else buffers.Add((name, value, persistent));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>, like <c>add_module</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name, "module", Kind.Module);
        int i = children.FindIndex(e => e.Name == name);
        if (i >= 0) children[i] = (name, module);
        else children.Add((name, module));
        return module;
    }

    private enum Kind { Parameter, Buffer, Module }

    // PyTorch raises KeyError with these texts; the checks run in its order (the module checks differ slightly).
    private void CheckName(string name, string what, Kind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool taken = (kind != Kind.Parameter && parameters.Exists(e => e.Name == name))
            || (kind != Kind.Buffer && buffers.Exists(e => e.Name == name))
            || (kind != Kind.Module && children.Exists(e => e.Name == name));
        if (kind == Kind.Module && taken) throw new ArgumentException($"attribute '{name}' already exists");
        if (name.Contains('.'))
            throw new ArgumentException(kind == Kind.Module ? $"module name can't contain \".\", got: {name}" : $"{what} name can't contain \".\"");
        if (name.Length == 0) throw new ArgumentException($"{what} name can't be empty string \"\"");
        if (taken) throw new ArgumentException($"attribute '{name}' already exists");
    }

    /// <summary>Replaces a registered parameter's tensor (used when loading or re-initialising).</summary>
    protected void SetParameter(string name, Tensor value)
    {
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Name == name) { parameters[i] = (name, value); return; }
        throw new ArgumentException($"no parameter named {name}");
    }

    // A module's own entries as registered (absent ones included), for saving and rebuilding whole modules.
    internal IReadOnlyList<(string Name, Tensor? Value)> OwnParameters => parameters;

    internal IReadOnlyList<(string Name, Tensor? Value, bool Persistent)> OwnBuffers => buffers;

    internal IReadOnlyList<(string Name, Module Value)> OwnChildren => children;

    /// <summary>Sets this module's training flag alone (a rebuilt module takes each module's saved flag).</summary>
    internal void SetOwnTraining(bool mode) => Training = mode;

    /// <summary>Direct children with their names, in registration order, like <c>named_children()</c>.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (n, m) in children)
            if (seen.Add(m)) yield return (n, m);
    }

    /// <summary>Direct children, like <c>children()</c>.</summary>
    public IEnumerable<Module> Children()
    {
        foreach (var (_, m) in NamedChildren()) yield return m;
    }

    /// <summary>
    /// This module and all descendants with dotted names ("" for this one), depth first in registration order,
    /// each module once, like <c>named_modules()</c>.
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var stack = new Stack<(string, Module)>();
        stack.Push(("", this));
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        while (stack.Count > 0)
        {
            var (prefix, m) = stack.Pop();
            if (!seen.Add(m)) continue;
            yield return (prefix, m);
            for (int i = m.children.Count - 1; i >= 0; i--)
            {
                var (n, c) = m.children[i];
                stack.Push((Join(prefix, n), c));
            }
        }
    }

    /// <summary>This module and all descendants, like <c>modules()</c>.</summary>
    public IEnumerable<Module> Modules()
    {
        foreach (var (_, m) in NamedModules()) yield return m;
    }

    /// <summary>All parameters with PyTorch's dotted names (e.g. <c>hidden.weight</c>), each once, like <c>named_parameters()</c>.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, m) in NamedModules())
            foreach (var (n, p) in m.parameters)
                if (p is not null && seen.Add(p)) yield return (Join(prefix, n), p);
    }

    /// <summary>All parameters, in registration order, like <c>parameters()</c>.</summary>
    public IEnumerable<Tensor> Parameters()
    {
        foreach (var (_, p) in NamedParameters()) yield return p;
    }

    /// <summary>All buffers with dotted names, each once, like <c>named_buffers()</c>.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, m) in NamedModules())
            foreach (var (n, b, _) in m.buffers)
                if (b is not null && seen.Add(b)) yield return (Join(prefix, n), b);
    }

    /// <summary>All buffers, like <c>buffers()</c>.</summary>
    public IEnumerable<Tensor> Buffers()
    {
        foreach (var (_, b) in NamedBuffers()) yield return b;
    }

    /// <summary>Calls <paramref name="fn"/> on every child (recursively) and then on this module, like <c>apply(fn)</c>.</summary>
    public Module Apply(Action<Module> fn)
    {
        foreach (var m in Children()) m.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>Sets training mode on this module and all descendants, like <c>train(mode)</c>.</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var m in Children()) m.Train(mode);
        return this;
    }

    /// <summary>Sets evaluation mode, like <c>eval()</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Clears the gradients of all parameters, like <c>zero_grad</c>: to null by default (PyTorch 2.x's default,
    /// the same as <see cref="Optim.Optimizer.ZeroGrad"/>), or to zeros in place with <paramref name="setToNone"/> false.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (p.Grad is null) continue;
            if (setToNone) p.Grad = null;
            else
            {
                p.Grad.Detach_().Zero_();
                if (p.Grad.IsSparse) p.Grad.sparseRows = [];
            }
        }
    }

    /// <summary>
    /// Parameters and persistent buffers by dotted name (detached, sharing storage), like <c>state_dict()</c>:
    /// each module's parameters, then its buffers, then its children's entries, in registration order.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        SaveTo(d, "");
        return d;
    }

    // Like PyTorch's recursion, a module reachable under two names is saved under both.
    private void SaveTo(Dictionary<string, Tensor> d, string prefix)
    {
        foreach (var (n, p) in parameters) if (p is not null) d[prefix + n] = p.Detach();
        foreach (var (n, b, persistent) in buffers) if (b is not null && persistent) d[prefix + n] = b.Detach();
        foreach (var (n, m) in children) m.SaveTo(d, prefix + n + ".");
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>
    /// Copies values from a state dict into the parameters and buffers, like <c>load_state_dict</c>; returns the
    /// missing and unexpected keys. With <paramref name="strict"/>, missing or unexpected keys fail; shape mismatches
    /// always fail. The messages and their order are PyTorch's. Unlike PyTorch, everything is checked before anything
    /// is copied, so a failed load leaves the module as it was.
    /// </summary>
    /// <exception cref="InvalidOperationException">PyTorch's "Error(s) in loading state_dict for ..." report.</exception>
    public IncompatibleKeys LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var missing = new List<string>();
        var unexpected = new List<string>();
        var errors = new List<string>();
        var copies = new List<(Tensor Target, Tensor Source)>();
        CollectLoad(stateDict, "", missing, unexpected, errors, copies);
        if (strict)
        {
            if (unexpected.Count > 0) errors.Insert(0, "Unexpected key(s) in state_dict: " + Quoted(unexpected) + ". ");
            if (missing.Count > 0) errors.Insert(0, "Missing key(s) in state_dict: " + Quoted(missing) + ". ");
        }
        if (errors.Count > 0)
            throw new InvalidOperationException($"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors));
        using (GradMode.Set(false))
            foreach (var (target, source) in copies) target.Copy_(source);
        return new IncompatibleKeys(missing, unexpected);
    }

    private static string Quoted(List<string> keys) => string.Join(", ", keys.ConvertAll(s => $"\"{s}\""));

    // Mirrors _load_from_state_dict plus the recursion in load_state_dict, but only records the copies.
    private void CollectLoad(IReadOnlyDictionary<string, Tensor> state, string prefix, List<string> missing,
        List<string> unexpected, List<string> errors, List<(Tensor, Tensor)> copies)
    {
        var local = new List<(string Name, Tensor Value)>();
        foreach (var (n, p) in parameters) if (p is not null) local.Add((n, p));
        foreach (var (n, b, persistent) in buffers) if (b is not null && persistent) local.Add((n, b));
        foreach (var (name, own) in local)
        {
            string key = prefix + name;
            if (!state.TryGetValue(key, out var input))
            {
                missing.Add(key);
                continue;
            }
            // PyTorch's backward compatibility: a 1-element 1-D tensor loads into a 0-D parameter.
            if (own.Dim == 0 && input.Dim == 1) input = input[0];
            if (!ShapeHelper.SameShape(input.shape, own.shape))
            {
                errors.Add($"size mismatch for {key}: copying a param with shape {Size(input)} from checkpoint, the shape in current model is {Size(own)}.");
                continue;
            }
            copies.Add((own, input));
        }
        foreach (var key in state.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = key[prefix.Length..];
            int dot = rest.IndexOf('.');
            var first = dot < 0 ? rest : rest[..dot];
            if (!children.Exists(c => c.Name == first) && !local.Exists(l => l.Name == first)) unexpected.Add(key);
        }
        foreach (var (n, m) in children) m.CollectLoad(state, prefix + n + ".", missing, unexpected, errors, copies);
    }

    private static string Size(Tensor t) => $"torch.Size({ShapeHelper.Format(t.shape)})";

    /// <summary>The text between the parentheses of this module's printed form, like <c>extra_repr()</c>.</summary>
    public virtual string ExtraRepr() => "";

    /// <summary>PyTorch's printed form, e.g. <c>Net(\n  (hidden): Linear(in_features=1, out_features=20, bias=True)\n)</c>.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        var extra = ExtraRepr();
        int extraLines = 0;
        if (extra.Length > 0)
        {
            var split = extra.Split('\n');
            extraLines = split.Length;
            lines.AddRange(split);
        }
        foreach (var (n, m) in children) lines.Add("(" + n + "): " + m.ToString().Replace("\n", "\n  "));
        var sb = new StringBuilder(GetType().Name).Append('(');
        if (lines.Count > 0)
        {
            // A lone one-line extra_repr stays on the same line, as most built-in modules print.
            if (extraLines == 1 && children.Count == 0) sb.Append(lines[0]);
            else sb.Append("\n  ").Append(string.Join("\n  ", lines)).Append('\n');
        }
        return sb.Append(')').ToString();
    }
}

/// <summary>The keys <see cref="Module.LoadStateDict"/> did not match, like PyTorch's <c>_IncompatibleKeys</c>.</summary>
public sealed record IncompatibleKeys(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <summary>PyTorch's text: <c>&lt;All keys matched successfully&gt;</c> when both lists are empty.</summary>
    public override string ToString() => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0
        ? "<All keys matched successfully>"
        : $"_IncompatibleKeys(missing_keys=[{string.Join(", ", Py(MissingKeys))}], unexpected_keys=[{string.Join(", ", Py(UnexpectedKeys))}])";

    private static IEnumerable<string> Py(IReadOnlyList<string> keys)
    {
        foreach (var k in keys) yield return "'" + k + "'";
    }
}
