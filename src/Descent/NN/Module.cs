using System.Text;
using Descent.Tensors;

namespace Descent.NN;

/// <summary>
/// Base class of layers and networks, like <c>nn.Module</c>: named parameters, buffers and child modules
/// registered in order, recursive traversal with PyTorch's dotted names, train/eval mode, state dicts, printing.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor? Value)> parameters = [];
    private readonly List<(string Name, Tensor? Value)> buffers = [];
    private readonly List<(string Name, Module Value)> children = [];

    /// <summary>Whether the module is in training mode (affects Dropout and the like).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The forward computation.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Calls <see cref="Forward"/>, like calling the module in Python.</summary>
    public Tensor Call(Tensor input) => Forward(input);

    /// <summary>Registers a parameter under <paramref name="name"/> (null registers an absent one, like a Linear without bias).</summary>
    protected Tensor? RegisterParameter(string name, Tensor? value)
    {
        CheckName(name);
        parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a buffer: state that is saved but not trained.</summary>
    protected Tensor? RegisterBuffer(string name, Tensor? value)
    {
        CheckName(name);
        buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("module name can't be empty string \"\"");
        if (name.Contains('.')) throw new ArgumentException($"module name can't contain \".\", got: {name}");
        foreach (var (n, _) in parameters) if (n == name) throw new ArgumentException($"attribute '{name}' already exists");
        foreach (var (n, _) in buffers) if (n == name) throw new ArgumentException($"attribute '{name}' already exists");
        foreach (var (n, _) in children) if (n == name) throw new ArgumentException($"attribute '{name}' already exists");
    }

    /// <summary>Replaces a registered parameter's tensor (used when loading or re-initialising).</summary>
    protected void SetParameter(string name, Tensor value)
    {
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Name == name) { parameters[i] = (name, value); return; }
        throw new ArgumentException($"no parameter named {name}");
    }

    /// <summary>Direct children with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (n, m) in children) yield return (n, m);
    }

    /// <summary>Direct children.</summary>
    public IEnumerable<Module> Children()
    {
        foreach (var (_, m) in children) yield return m;
    }

    /// <summary>This module and all descendants with dotted names ("" for this one), depth first.</summary>
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
                stack.Push((prefix.Length == 0 ? n : prefix + "." + n, c));
            }
        }
    }

    /// <summary>All parameters with PyTorch's dotted names (e.g. <c>hidden.weight</c>), each once.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, m) in NamedModules())
            foreach (var (n, p) in m.parameters)
                if (p is not null && seen.Add(p)) yield return (prefix.Length == 0 ? n : prefix + "." + n, p);
    }

    /// <summary>All parameters, in registration order, like <c>parameters()</c>.</summary>
    public IEnumerable<Tensor> Parameters()
    {
        foreach (var (_, p) in NamedParameters()) yield return p;
    }

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, m) in NamedModules())
            foreach (var (n, b) in m.buffers)
                if (b is not null) yield return (prefix.Length == 0 ? n : prefix + "." + n, b);
    }

    /// <summary>Sets training mode on this module and all descendants.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = mode;
        return this;
    }

    /// <summary>Sets evaluation mode, like <c>eval()</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears the gradients of all parameters (to null by default), like <c>zero_grad</c>.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (p.Grad is null) continue;
            if (setToNone) p.Grad = null;
            else p.Grad.Detach_().Zero_();
        }
    }

    /// <summary>Parameters and buffers by dotted name (detached, sharing storage), like <c>state_dict()</c>.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (prefix, m) in NamedModules())
        {
            foreach (var (n, p) in m.parameters) if (p is not null) d[Join(prefix, n)] = p.Detach();
            foreach (var (n, b) in m.buffers) if (b is not null) d[Join(prefix, n)] = b.Detach();
        }
        return d;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>
    /// Copies values from a state dict into the parameters and buffers, like <c>load_state_dict</c>. With
    /// <paramref name="strict"/>, missing or unexpected keys fail; shape mismatches always fail. Everything is
    /// checked before anything is copied, so a failed load leaves the module as it was.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var missing = new List<string>();
        var unexpected = new List<string>();
        var errors = new List<string>();
        foreach (var k in own.Keys) if (!state.ContainsKey(k)) missing.Add(k);
        foreach (var k in state.Keys) if (!own.ContainsKey(k)) unexpected.Add(k);
        foreach (var (k, t) in own)
            if (state.TryGetValue(k, out var v) && !ShapeHelper.SameShape(v.shape, t.shape))
                errors.Add($"size mismatch for {k}: copying a param with shape {Size(v)} from checkpoint, the shape in current model is {Size(t)}.");
        if (strict)
        {
            if (unexpected.Count > 0) errors.Insert(0, "Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.ConvertAll(s => $"\"{s}\"")) + ". ");
            if (missing.Count > 0) errors.Insert(0, "Missing key(s) in state_dict: " + string.Join(", ", missing.ConvertAll(s => $"\"{s}\"")) + ". ");
        }
        if (errors.Count > 0)
            throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors));
        using (Torch.NoGrad())
            foreach (var (k, t) in own)
                if (state.TryGetValue(k, out var v)) t.Copy_(v);
    }

    private static string Size(Tensor t) => $"torch.Size({ShapeHelper.Format(t.shape)})";

    /// <summary>The text between the parentheses of this module's printed form, like <c>extra_repr()</c>.</summary>
    public virtual string ExtraRepr() => "";

    /// <summary>PyTorch's printed form, e.g. <c>Net(\n  (hidden): Linear(in_features=1, out_features=20, bias=True)\n)</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(GetType().Name).Append('(');
        var extra = ExtraRepr();
        if (children.Count == 0) return sb.Append(extra).Append(')').ToString();
        sb.Append('\n');
        if (extra.Length > 0) sb.Append("  ").Append(extra.Replace("\n", "\n  ")).Append('\n');
        foreach (var (n, m) in children)
            sb.Append("  (").Append(n).Append("): ").Append(m.ToString().Replace("\n", "\n  ")).Append('\n');
        return sb.Append(')').ToString();
    }
}
